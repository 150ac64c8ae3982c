package io.starling.agent.cli;

import io.quarkus.runtime.ShutdownEvent;
import io.starling.agent.sync.AgentDaemon;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Closes the running daemon as part of Quarkus' shutdown. On SIGTERM the JVM halts once its
 * shutdown hooks are done; closing from the command's own thread after {@code waitForExit()}
 * could be cut off halfway, losing the resume data and the clean-shutdown marker.
 */
@ApplicationScoped
public class RunningDaemon {

    private volatile AgentDaemon daemon;

    void set(AgentDaemon daemon) {
        this.daemon = daemon;
    }

    void onStop(@Observes ShutdownEvent event) {
        AgentDaemon running = daemon;
        daemon = null;
        if (running != null) {
            running.close();
        }
    }
}
