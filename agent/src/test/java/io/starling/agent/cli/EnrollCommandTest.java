package io.starling.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.starling.agent.config.AgentConfig;
import io.starling.agent.state.AgentIdentityStore;
import io.starling.agent.swarm.OpensslCa;
import io.starling.agent.swarm.PeerIdentity;
import io.starling.agent.sync.StubEnrollment;
import io.starling.agent.sync.TestTls;
import io.starling.protocol.agent.TrustedKey;
import io.starling.protocol.manifest.Ed25519Keys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code starling-agent enroll} as an admin runs it: what it prints, its exit code, what it leaves on disk. */
class EnrollCommandTest {

    private static final String TOKEN_URL = "https://127.0.0.1:1/realms/starling/protocol/openid-connect/token";

    @TempDir
    static Path certificates;

    @TempDir
    Path dir;

    static TestTls tls;

    private final PublicKey signing = Ed25519Keys.generate().getPublic();
    private final PublicKey intruder = Ed25519Keys.generate().getPublic();
    private String out = "";
    private String err = "";

    @BeforeAll
    static void certificates() throws Exception {
        tls = TestTls.create(certificates.resolve("ca"), "Starling Test CA");
    }

    private static TrustedKey trusted(PublicKey key) {
        return new TrustedKey(Ed25519Keys.keyId(key), Ed25519Keys.toPem(key));
    }

    private Path stateDir() {
        return dir.resolve("state");
    }

    private int enroll(String server, String... options) {
        EnrollCommand command = new EnrollCommand();
        command.config = new Config(stateDir());
        command.json = new com.fasterxml.jackson.databind.ObjectMapper();
        command.server = server;
        command.token = "token";
        for (int i = 0; i < options.length; i++) {
            switch (options[i]) {
                case "--ca-bundle" -> command.caBundle = Path.of(options[++i]);
                case "--insecure" -> command.insecure = true;
                case "--manifest-key-fingerprint" -> command.manifestKeyFingerprints = List.of(options[++i]);
                default -> throw new IllegalArgumentException(options[i]);
            }
        }
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            return command.call();
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
            out = o.toString(StandardCharsets.UTF_8);
            err = e.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void withThePinnedFingerprintTheAgentEnrollsAndPrintsTheFingerprintsItTrusts() throws Exception {
        try (StubEnrollment cp = new StubEnrollment(tls.serverContext(), List.of(trusted(signing), trusted(intruder)),
                TOKEN_URL)) {
            int exit = enroll(cp.uri().toString(), "--ca-bundle", tls.caPem().toString(),
                    "--manifest-key-fingerprint", Ed25519Keys.fingerprint(signing));

            assertThat(exit).as(err).isEqualTo(ExitCodes.OK);
            assertThat(out).contains("Enrolled as agent agent-7")
                    .contains("Manifest keys trusted (pinned):")
                    .contains(Ed25519Keys.keyId(signing) + "  sha256 " + Ed25519Keys.fingerprint(signing))
                    .contains("not trusted, no pin names it: " + Ed25519Keys.keyId(intruder))
                    .contains("set STARLING_AGENT_CA_BUNDLE=" + tls.caPem());
            assertThat(new AgentIdentityStore(stateDir()).load()).get()
                    .satisfies(id -> assertThat(id.manifestKeys()).containsExactly(trusted(signing)));
        }
    }

    @Test
    void theAnswerBringsTheFirstSwarmCertificateForTheKeyTheRequestSent() throws Exception {
        assumeTrue(OpensslCa.available(), "no openssl command");
        OpensslCa swarmCa = new OpensslCa(Files.createDirectories(dir.resolve("swarm-ca")));
        try (StubEnrollment cp = new StubEnrollment(tls.serverContext(), List.of(trusted(signing)), TOKEN_URL)
                .issuing(key -> swarmCa.issue(key, 1))) {
            int exit = enroll(cp.uri().toString(), "--ca-bundle", tls.caPem().toString());

            assertThat(exit).as(err).isEqualTo(ExitCodes.OK);
            PeerIdentity peer = PeerIdentity.open(stateDir());
            assertThat(cp.lastRequest().peerPublicKey()).isEqualTo(peer.publicKeyBase64());
            assertThat(peer.certificatePem()).as("no check-in needed for the first download").isPresent();
            assertThat(peer.wantsCertificate(Instant.now())).isFalse();
        }
    }

    @Test
    void aFingerprintMismatchFailsAndLeavesTheStateFolderUntouched() throws Exception {
        try (StubEnrollment cp = new StubEnrollment(tls.serverContext(), List.of(trusted(intruder)), TOKEN_URL)) {
            int exit = enroll(cp.uri().toString(), "--ca-bundle", tls.caPem().toString(),
                    "--manifest-key-fingerprint", Ed25519Keys.fingerprint(signing));

            assertThat(exit).isEqualTo(ExitCodes.FAILED);
            assertThat(err).startsWith("starling-agent: enrollment refused: the control plane offered no manifest key "
                    + "with fingerprint " + Ed25519Keys.fingerprint(signing)).doesNotContain("\tat ");
            assertThat(err.strip().lines()).hasSize(1);
            assertThat(cp.calls()).isEqualTo(1);
            assertThat(stateDir()).doesNotExist();
        }
    }

    @Test
    void anUntrustedCertificateIsRefusedInOneLine() throws Exception {
        try (StubEnrollment cp = new StubEnrollment(tls.serverContext(), List.of(trusted(signing)), TOKEN_URL)) {
            int exit = enroll(cp.uri().toString());

            assertThat(exit).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(err).contains("TLS failed").contains("--ca-bundle");
            assertThat(err.strip().lines()).hasSize(1);
            assertThat(stateDir()).doesNotExist();
        }
    }

    @Test
    void plainHttpToAnotherMachineIsRefusedUnlessInsecure() {
        int exit = enroll("http://192.0.2.10:8080");

        assertThat(exit).isEqualTo(ExitCodes.USAGE);
        assertThat(err).startsWith("starling-agent: --server http://192.0.2.10:8080 is plain http to another machine")
                .contains("--insecure");
        assertThat(stateDir()).doesNotExist();
    }

    @Test
    void plainHttpOnLoopbackStillWorks() throws Exception {
        try (StubEnrollment cp = new StubEnrollment(null, List.of(trusted(signing)),
                "http://localhost:8180/realms/starling/protocol/openid-connect/token")) {
            int exit = enroll(cp.uri().toString());

            assertThat(exit).as(err).isEqualTo(ExitCodes.OK);
            assertThat(out).contains("Manifest keys trusted (as received; pin them with --manifest-key-fingerprint)")
                    .contains(Ed25519Keys.fingerprint(signing));
            assertThat(Files.exists(stateDir().resolve(AgentIdentityStore.FILE_NAME))).isTrue();
        }
    }

    @Test
    void aBadCaBundleIsOneLineAndAUsageError() throws Exception {
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "hello");

        int exit = enroll("https://starling.example.com", "--ca-bundle", notPem.toString());

        assertThat(exit).isEqualTo(ExitCodes.USAGE);
        assertThat(err).startsWith("starling-agent: CA bundle " + notPem);
        assertThat(err.strip().lines()).hasSize(1);
        assertThat(stateDir()).doesNotExist();
    }

    private record Config(Path stateDir) implements AgentConfig {
        @Override
        public Path installRoot() {
            return stateDir.resolveSibling("installed");
        }

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
            throw new UnsupportedOperationException("enroll needs no swarm");
        }

        @Override
        public CheckIn checkIn() {
            return new CheckIn() {
                @Override
                public Duration minBackoff() {
                    return Duration.ofSeconds(1);
                }

                @Override
                public Duration maxBackoff() {
                    return Duration.ofSeconds(1);
                }

                @Override
                public Duration defaultInterval() {
                    return Duration.ofSeconds(1);
                }

                @Override
                public Duration progressInterval() {
                    return Duration.ofSeconds(1);
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
