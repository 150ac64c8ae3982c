package io.starling.agent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.agent.config.AgentConfig;
import io.starling.agent.state.AgentIdentity;
import io.starling.agent.state.AgentIdentityStore;
import io.starling.agent.sync.AgentDaemon;
import io.starling.agent.sync.ControlPlaneClient;
import io.starling.agent.sync.ControlPlaneException;
import io.starling.protocol.agent.EnrollRequest;
import io.starling.protocol.agent.EnrollResponse;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "enroll", mixinStandardHelpOptions = true,
        description = {"Enroll this machine with a control plane, once.",
                "Keeps the agent's credentials, tracker passkey and the manifest keys it trusts in the state folder "
                        + "(starling.agent.state-dir, env STARLING_AGENT_STATE_DIR), readable by its owner only."})
public class EnrollCommand implements Callable<Integer> {

    @Option(names = "--server", required = true, paramLabel = "URL", description = "The control plane, e.g. https://starling.example.com")
    String server;

    @Option(names = "--token", required = true, paramLabel = "TOKEN", description = "An enrollment token from an admin.")
    String token;

    @Option(names = "--label", paramLabel = "LABEL", description = "A label to ask for (repeatable).")
    List<String> labels = List.of();

    @Option(names = "--force", description = "Enroll again although this machine is enrolled (the old identity is replaced).")
    boolean force;

    @Inject
    AgentConfig config;

    @Inject
    ObjectMapper json;

    @Override
    public Integer call() {
        AgentIdentityStore store = new AgentIdentityStore(config.stateDir());
        try {
            var existing = store.load();
            if (existing.isPresent() && !force) {
                System.err.println("starling-agent: already enrolled as agent " + existing.get().agentId() + " with "
                        + existing.get().serverUrl() + " (state in " + config.stateDir() + "); use --force to enroll again");
                return ExitCodes.USAGE;
            }
            URI uri = serverUri(server);
            EnrollResponse response = ControlPlaneClient.enroll(uri,
                    new EnrollRequest(token, InetAddress.getLocalHost().getHostName(), AgentDaemon.VERSION, labels),
                    json, config.checkIn().requestTimeout());
            store.save(AgentIdentity.of(uri.toString(), response));
            System.out.println("Enrolled as agent " + response.agentId()
                    + (response.site() == null ? "" : " in site " + response.site())
                    + ". State: " + config.stateDir() + ". Start it with: starling-agent run");
            return ExitCodes.OK;
        } catch (IllegalArgumentException e) {
            System.err.println("starling-agent: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (ControlPlaneException e) {
            System.err.println("starling-agent: enrollment failed: " + e.getMessage());
            return e.status() == 0 ? ExitCodes.UNREACHABLE : ExitCodes.FAILED;
        } catch (IOException | RuntimeException e) {
            System.err.println("starling-agent: enrollment failed: " + e);
            return ExitCodes.FAILED;
        }
    }

    static URI serverUri(String value) {
        URI uri;
        try {
            uri = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--server " + value + " is not a URL");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("--server must be an http(s) URL, got " + value);
        }
        return uri;
    }
}
