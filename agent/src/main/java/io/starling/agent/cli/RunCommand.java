package io.starling.agent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.oidc.client.OidcClients;
import io.quarkus.runtime.Quarkus;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.starling.agent.config.AgentConfig;
import io.starling.agent.state.AgentIdentity;
import io.starling.agent.state.AgentIdentityStore;
import io.starling.agent.sync.AgentDaemon;
import io.starling.agent.sync.OidcTokenSource;
import io.starling.agent.sync.Transport;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the agent until stopped (SIGTERM or Ctrl-C): check in, download, verify, install, report, seed.",
                "Settings come from starling.agent.* system properties or STARLING_AGENT_* environment variables",
                "(a private CA: STARLING_AGENT_CA_BUNDLE=/path/ca.pem; plain http beyond loopback: STARLING_AGENT_INSECURE=true)."})
public class RunCommand implements Callable<Integer> {

    @Inject
    AgentConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    OidcClients oidcClients;

    @Inject
    TlsConfigurationRegistry tls;

    @Inject
    RunningDaemon running;

    @Override
    public Integer call() throws Exception {
        Optional<AgentIdentity> identity = new AgentIdentityStore(config.stateDir()).load();
        if (identity.isEmpty()) {
            System.err.println("starling-agent: not enrolled (no identity in " + config.stateDir()
                    + "); run: starling-agent enroll --server URL --token TOKEN");
            return ExitCodes.USAGE;
        }
        AgentIdentity id = identity.get();
        AgentDaemon daemon;
        try {
            Transport transport = Transport.of(config.caBundle(), config.insecure());
            OidcTokenSource tokens = new OidcTokenSource(oidcClients, id.tokenUrl(), id.clientId(), id.clientSecret(),
                    config.checkIn().requestTimeout(), transport, tls);
            daemon = new AgentDaemon(config, id, tokens, json, Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            // A setting the agent cannot use (a CA bundle, an http URL, a listen address, a
            // libtorrent setting): say which, once.
            System.err.println("starling-agent: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        running.set(daemon);
        daemon.start();
        // Returns once Quarkus has shut down, RunningDaemon having closed the daemon on the way.
        Quarkus.waitForExit();
        return ExitCodes.OK;
    }
}
