package io.starling.agent.sync;

import io.starling.agent.config.AgentConfig;
import io.starling.agent.state.AgentIdentity;
import io.starling.protocol.agent.DeploymentState;
import io.starling.protocol.agent.DesiredDeployment;
import io.starling.protocol.agent.InstallPolicy;
import io.starling.protocol.agent.TrustedKey;
import io.starling.protocol.keys.SignedKeySet;
import io.starling.protocol.manifest.Ed25519Keys;
import io.starling.protocol.manifest.Manifest;
import io.starling.protocol.manifest.ManifestSigner;
import io.starling.protocol.manifest.SignedManifest;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A whole agent in the test's process, as {@code starling-agent run} builds it, against a
 * {@link StubControlPlane}: its own state and install folders, a swarm on loopback, and a
 * manifest key pinned as at enrollment.
 */
final class TestAgent {

    static final KeyPair KEYS = Ed25519Keys.generate();
    static final String AGENT_ID = "agent-under-test";
    static final TokenSource TOKENS = new FixedToken();

    private TestAgent() {
    }

    /**
     * @param downloadRateLimit bytes per second for the swarm (0 for none): a slow download leaves
     *                          a test the time to change its mind
     */
    static AgentDaemon start(Path stateDir, Path installRoot, StubControlPlane server, int downloadRateLimit)
            throws IOException {
        return start(stateDir, installRoot, server, downloadRateLimit, Clock.systemUTC());
    }

    /** @param clock the workstation's clock, which may be off */
    static AgentDaemon start(Path stateDir, Path installRoot, StubControlPlane server, int downloadRateLimit, Clock clock)
            throws IOException {
        return start(stateDir, installRoot, server, downloadRateLimit, clock, null, null);
    }

    /**
     * Enrolled with an offline root pinned and the key set the enrollment answer held.
     */
    static AgentDaemon startUnderRoot(Path stateDir, Path installRoot, StubControlPlane server, KeyPair root,
                                      SignedKeySet keySet) throws IOException {
        return start(stateDir, installRoot, server, 0, Clock.systemUTC(),
                new TrustedKey(Ed25519Keys.keyId(root.getPublic()), Ed25519Keys.toPem(root.getPublic())), keySet);
    }

    private static AgentDaemon start(Path stateDir, Path installRoot, StubControlPlane server, int downloadRateLimit,
                                     Clock clock, TrustedKey root, SignedKeySet keySet) throws IOException {
        AgentIdentity identity = new AgentIdentity(server.uri().toString(), AGENT_ID, "client", "secret",
                server.uri() + "/token", "passkey",
                List.of(new TrustedKey(Ed25519Keys.keyId(KEYS.getPublic()), Ed25519Keys.toPem(KEYS.getPublic()))),
                null, List.of(), root, keySet);
        AgentDaemon daemon = new AgentDaemon(new Config(stateDir, installRoot, downloadRateLimit), identity,
                TOKENS, StubControlPlane.JSON, clock);
        daemon.start();
        return daemon;
    }

    /** What a control plane lists for a signed manifest; the unsigned names can be anything. */
    static DesiredDeployment deployment(String id, String product, String version, DeploymentState state,
                                        Manifest manifest) {
        return deployment(id, product, version, state, manifest, KEYS);
    }

    /** @param signer the key that signs the manifest (the assignment is always signed with {@link #KEYS}) */
    static DesiredDeployment deployment(String id, String product, String version, DeploymentState state,
                                        Manifest manifest, KeyPair signer) {
        SignedManifest signed = new ManifestSigner(signer).sign(manifest);
        Base64.Encoder base64 = Base64.getEncoder();
        return new DesiredDeployment(id, product, version, state, base64.encodeToString(signed.bytes()),
                base64.encodeToString(signed.signature()), List.of(), null);
    }

    static DesiredDeployment deployment(String id, Manifest manifest) {
        return deployment(id, manifest, InstallPolicy.AT_ONCE);
    }

    static DesiredDeployment deployment(String id, Manifest manifest, InstallPolicy install) {
        DesiredDeployment d = deployment(id, manifest.product(), manifest.version(), DeploymentState.PENDING, manifest);
        return new DesiredDeployment(d.id(), d.product(), d.version(), d.state(), d.manifest(), d.signature(),
                d.artifacts(), install);
    }

    private static final class FixedToken implements TokenSource {
        @Override
        public String accessToken() {
            return "test-token";
        }

        @Override
        public void invalidate() {
        }
    }

    private record Config(Path stateDir, Path installRoot, int downloadRateLimit) implements AgentConfig {
        @Override
        public int keepVersions() {
            return 2;
        }

        @Override
        public Optional<Path> caBundle() {
            return Optional.empty();
        }

        @Override
        public boolean insecure() {
            return false;
        }

        @Override
        public Swarm swarm() {
            return new Swarm() {
                @Override
                public String listenInterface() {
                    return "127.0.0.1:0";
                }

                @Override
                public int uploadRateLimit() {
                    return 0;
                }

                @Override
                public int downloadRateLimit() {
                    return downloadRateLimit;
                }

                @Override
                public Duration seedTime() {
                    return Duration.ZERO;
                }

                @Override
                public Duration webSeedAfter() {
                    return Duration.ZERO;
                }

                @Override
                public Duration stallDeadline() {
                    return Duration.ZERO;
                }

                @Override
                public Optional<List<String>> libtorrent() {
                    return Optional.empty();
                }
            };
        }

        @Override
        public CheckIn checkIn() {
            return new CheckIn() {
                @Override
                public Duration minBackoff() {
                    return Duration.ofMillis(100);
                }

                @Override
                public Duration maxBackoff() {
                    return Duration.ofSeconds(1);
                }

                @Override
                public Duration defaultInterval() {
                    return Duration.ofMillis(200);
                }

                @Override
                public Duration progressInterval() {
                    return Duration.ofMillis(200);
                }

                @Override
                public Duration requestTimeout() {
                    return Duration.ofSeconds(5);
                }

                @Override
                public Duration requestDeadline() {
                    return Duration.ofSeconds(30);
                }

                @Override
                public Optional<String> serverUrl() {
                    return Optional.empty();
                }
            };
        }
    }
}
