package io.starling.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's two promises for a newcomer, as written: {@code deploy/quickstart.sh up} gives a
 * running service, over HTTPS with a local CA it made, that the curl walk-through works against,
 * {@code down} stops it, and the data (and the CA) are still there at the next {@code up}.
 */
class QuickstartIT {

    private static final Path REPO = Path.of(System.getProperty("starling.repo", "..")).toAbsolutePath().normalize();
    private static Keycloak keycloak;
    private static Path home;
    private static int port;
    private static int httpsPort;

    @BeforeAll
    static void start() throws Exception {
        keycloak = Keycloak.ensureRunning(REPO); // quickstart.sh then finds it answering and leaves it be
        home = Files.createTempDirectory("starling-quickstart");
        try (ServerSocket s = new ServerSocket(0); ServerSocket t = new ServerSocket(0)) {
            port = s.getLocalPort();
            httpsPort = t.getLocalPort();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (home != null) {
            quickstart("down"); // a no-op when the test got that far
        }
        if (keycloak != null) {
            keycloak.close();
        }
    }

    @Test
    void upRunsTheWalkthroughDownStopsAndTheDataSurvivesTheNextUp() throws Exception {
        Processes.Result up = quickstart("up");
        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(up.output()).contains("Starling is up.").contains("admin/admin")
                .containsSubsequence("Console         https://127.0.0.1:" + httpsPort + "/", "http://127.0.0.1:" + port);
        Path tls = home.resolve("tls");
        assertThat(Files.getPosixFilePermissions(tls.resolve("server.key"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(tls.resolve("ca.key"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String ca = Files.readString(tls.resolve("ca.pem"));
        HttpClient https = LocalTls.client(tls.resolve("ca.pem"));
        long pid = Long.parseLong(Files.readString(home.resolve("run/control-plane.pid")).strip());

        Processes.Result again = quickstart("up");
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).contains("already running (pid " + pid + ")");

        // STARLING_HOME: the walk-through finds the quick start's CA there, as it does under ./.starling
        Processes.Result walkthrough = run(Map.of("STARLING_URL", url(), "KEYCLOAK_URL", Keycloak.URL, "SIZE", "16M",
                        "STARLING_HOME", home.toString()), REPO.resolve("e2e/walkthrough.sh").toString());
        assertThat(walkthrough.exitCode()).as(walkthrough.output()).isZero();
        assertThat(walkthrough.output()).contains("Signature Verified Successfully");

        Processes.Result down = quickstart("down");
        assertThat(down.exitCode()).as(down.output()).isZero();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("control plane process").isFalse();
        assertThat(answers(HttpClient.newHttpClient(), "http://127.0.0.1:" + port)).as("anything on port " + port + " after down")
                .isFalse();
        assertThat(answers(https, url())).as("anything on port " + httpsPort + " after down").isFalse();

        Processes.Result upAgain = quickstart("up");
        assertThat(upAgain.exitCode()).as(upAgain.output()).isZero();
        assertThat(Files.readString(tls.resolve("ca.pem"))).as("the CA agents were given").isEqualTo(ca);
        HttpResponse<String> release = https.send(HttpRequest.newBuilder(
                        URI.create(url() + "/api/v1/products/office-suite/releases/2.4.1"))
                .header("Authorization", "Bearer " + keycloak.password("viewer", "viewer")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(release.statusCode()).isEqualTo(200);
        assertThat(release.body()).contains("\"state\":\"PUBLISHED\"").contains("setup.bin");
        assertThat(quickstart("down").exitCode()).isZero();
    }

    private static String url() {
        return "https://127.0.0.1:" + httpsPort;
    }

    private static boolean answers(HttpClient client, String base) {
        try {
            client.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static Processes.Result quickstart(String command) throws IOException, InterruptedException {
        // Any free port for the origin seeder, as ControlPlaneProcess does: other builds may run theirs.
        return run(Map.of("STARLING_HOME", home.toString(), "STARLING_PORT", String.valueOf(port),
                        "STARLING_HTTPS_PORT", String.valueOf(httpsPort), "JAVA_OPTS", "-Dstarling.seed.listen-interface=127.0.0.1:0"),
                REPO.resolve("deploy/quickstart.sh").toString(), command);
    }

    private static Processes.Result run(Map<String, String> env, String... command)
            throws IOException, InterruptedException {
        return Processes.exec(REPO, env, Duration.ofMinutes(5), List.of(command));
    }
}
