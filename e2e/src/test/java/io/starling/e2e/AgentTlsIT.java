package io.starling.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.starling.protocol.manifest.Ed25519Keys;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged agent over HTTPS with a private CA: {@code enroll --ca-bundle} and
 * {@code --manifest-key-fingerprint}, then {@code run} with {@code STARLING_AGENT_CA_BUNDLE}, whose
 * token request goes through the OIDC client (Vert.x, not the JDK's HTTP client). The control plane
 * and token endpoint are one HTTPS stub in this process, with a CA and certificate made by keytool.
 */
class AgentTlsIT {

    private static final Path REPO = Path.of(System.getProperty("starling.repo", "..")).toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "changeit";

    private static Path work;
    private static HttpsServer server;
    private static final List<String> requests = new CopyOnWriteArrayList<>();
    private static final PublicKey SIGNING = Ed25519Keys.generate().getPublic();
    private final List<AgentProcess> agents = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("starling-agent-tls");
        for (String ca : List.of("ours", "other")) {
            keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + ca,
                    "-ext", "bc:c", "-validity", "2", "-keystore", ca + "-ca.p12");
            keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca + "-ca.p12", "-file", ca + "-ca.pem");
        }
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-validity", "2", "-keystore", "server.p12");
        keytool("-certreq", "-alias", "server", "-keystore", "server.p12", "-file", "server.csr");
        keytool("-gencert", "-alias", "ca", "-keystore", "ours-ca.p12", "-infile", "server.csr", "-outfile", "server.pem",
                "-rfc", "-validity", "2", "-ext", "san=ip:127.0.0.1,dns:localhost");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ours-ca.pem", "-keystore", "server.p12");
        keytool("-importcert", "-alias", "server", "-file", "server.pem", "-keystore", "server.p12");

        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext()));
        server.createContext("/", AgentTlsIT::handle);
        server.start();
    }

    @AfterEach
    void stopAgents() throws InterruptedException {
        for (AgentProcess agent : agents) {
            agent.stop();
        }
        requests.clear();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void handle(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        requests.add(exchange.getRequestMethod() + " " + path + " " + exchange.getRequestHeaders().getFirst("Authorization"));
        Object answer = switch (path) {
            case "/api/agent/v1/enroll" -> Map.of("agentId", "agent-tls", "clientId", "starling-agent-agent-tls",
                    "clientSecret", "s3cret", "tokenUrl", url() + "/token", "passkey", "passkey-tls",
                    "manifestKeys", List.of(Map.of("keyId", Ed25519Keys.keyId(SIGNING), "publicKey", Ed25519Keys.toPem(SIGNING))),
                    "labels", List.of());
            case "/token" -> Map.of("access_token", "token-from-the-stub", "token_type", "Bearer", "expires_in", 300);
            case "/api/agent/v1/check-in" -> Map.of("agentId", "agent-tls", "deployments", List.of(), "manifestKeys", List.of(),
                    "nextCheckInAt", Instant.now().plusSeconds(60).toString(), "serverTime", Instant.now().toString());
            default -> null;
        };
        byte[] body = answer == null ? new byte[0] : JSON.writeValueAsBytes(answer);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer == null ? 404 : path.endsWith("/enroll") ? 201 : 200, body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private AgentProcess agent(String name) throws IOException {
        AgentProcess agent = new AgentProcess(REPO, work.resolve(name));
        agents.add(agent);
        return agent;
    }

    @Test
    void anAgentEnrolledWithItsCaBundleAndPinnedKeyGetsATokenAndChecksInOverHttps() throws Exception {
        AgentProcess agent = agent("trusted");
        Path bundle = work.resolve("ours-ca.pem");

        Processes.Result enrolled = agent.cli("enroll", "--server", url(), "--token", "t", "--ca-bundle", bundle.toString(),
                "--manifest-key-fingerprint", Ed25519Keys.fingerprint(SIGNING));

        assertThat(enrolled.exitCode()).as(enrolled.output()).isZero();
        assertThat(enrolled.output()).contains("Manifest keys trusted (pinned):").contains(Ed25519Keys.fingerprint(SIGNING));

        agent.with("STARLING_AGENT_CA_BUNDLE", bundle.toString()).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> requests.contains("POST /api/agent/v1/check-in Bearer token-from-the-stub"));
        assertThat(requests).anyMatch(r -> r.startsWith("POST /token Basic "));
    }

    @Test
    void anAgentTrustingAnotherCaNeitherEnrollsNorFetchesATokenAndSaysWhy() throws Exception {
        AgentProcess agent = agent("untrusted");

        Processes.Result enrolled = agent.cli("enroll", "--server", url(), "--token", "t",
                "--ca-bundle", work.resolve("other-ca.pem").toString());

        assertThat(enrolled.exitCode()).isEqualTo(3);
        assertThat(enrolled.output()).contains("TLS failed").contains("--ca-bundle");
        assertThat(agent.stateDir().resolve("identity.json")).doesNotExist();
        assertThat(requests).isEmpty();

        // Enrolled with the right CA, but run with the wrong one: no token is ever sent for.
        assertThat(agent.cli("enroll", "--server", url(), "--token", "t", "--ca-bundle",
                work.resolve("ours-ca.pem").toString()).exitCode()).isZero();
        requests.clear();
        agent.with("STARLING_AGENT_CA_BUNDLE", work.resolve("other-ca.pem").toString()).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(agent.log()).contains("STARLING_AGENT_CA_BUNDLE"));
        assertThat(Files.readString(agent.log())).contains("PKIX");
        assertThat(requests).isEmpty();
    }

    private static SSLContext serverContext() throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(work.resolve("server.p12"))) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD.toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        return ssl;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        Processes.Result r = Processes.exec(work, Map.of(), Duration.ofSeconds(60), command);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + ": " + r.output().strip());
        }
    }
}
