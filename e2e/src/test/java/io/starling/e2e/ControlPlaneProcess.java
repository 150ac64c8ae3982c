package io.starling.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/** The packaged control plane ({@code quarkus-run.jar}) as its own process, on embedded PostgreSQL. */
public final class ControlPlaneProcess implements AutoCloseable {

    private final Path home;
    private final int port;
    private final int managementPort;
    private final Path log;
    private Process process;

    public ControlPlaneProcess(Path repo, Path home) throws IOException {
        this(repo, home, "127.0.0.1");
    }

    /** Listening on {@code host} (an address of this machine), e.g. the origin end of a simulated uplink. */
    public ControlPlaneProcess(Path repo, Path home, String host) throws IOException {
        this.home = home;
        this.host = host;
        this.port = freePort();
        this.managementPort = freePort();
        this.log = home.resolve("control-plane.log");
        this.jar = repo.resolve("control-plane/target/quarkus-app/quarkus-run.jar");
        this.jvmOptions = repo.resolve("deploy/control-plane/jvm.options");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("Build the control plane first: " + jar + " is missing");
        }
    }

    private final Path jar;
    private final Path jvmOptions;
    private final String host;
    private Path tls;

    /**
     * HTTPS only, with the certificate {@link LocalTls#make} put in {@code tlsDir}, as the quick start
     * serves it; plain http is not opened. Call before {@link #start}.
     */
    public ControlPlaneProcess withTls(Path tlsDir) {
        this.tls = tlsDir;
        return this;
    }

    public String url() {
        return (tls == null ? "http" : "https") + "://" + host + ":" + port;
    }

    /** A client for {@link #url()}: one that trusts the local CA when it serves HTTPS. */
    public HttpClient client() {
        return tls == null ? HttpClient.newHttpClient() : LocalTls.client(tls.resolve("ca.pem"));
    }

    /** Where its metrics are ({@code /q/metrics}): the management interface, open, on the same host. */
    public String managementUrl() {
        return "http://" + host + ":" + managementPort;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts it and waits until it is ready; {@code extraJvmArgs} come last, so they override the defaults. */
    public ControlPlaneProcess start(String... extraJvmArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        cmd.add("@" + jvmOptions); // the options it ships with
        cmd.add("-Dquarkus.profile=demo"); // embedded PostgreSQL and a generated key, as the quick start
        // Any free port for the origin seeder: other builds on the machine may run their own.
        if (tls != null) {
            cmd.addAll(List.of("-Dquarkus.http.insecure-requests=disabled", "-Dquarkus.http.ssl-port=" + port,
                    "-Dquarkus.tls.key-store.pem.0.cert=" + tls.resolve("server.pem"),
                    "-Dquarkus.tls.key-store.pem.0.key=" + tls.resolve("server.key")));
        }
        cmd.addAll(List.of("-Dquarkus.http.host=" + host, "-Dquarkus.http.port=" + port, "-Dstarling.home=" + home,
                "-Dquarkus.management.host=" + host, "-Dquarkus.management.port=" + managementPort,
                "-Dstarling.seed.listen-interface=" + host + ":0",
                "-Dquarkus.oidc.auth-server-url=" + Keycloak.REALM_URL, "-Dstarling.fleet.keycloak.server-url=" + Keycloak.URL));
        cmd.addAll(List.of(extraJvmArgs));
        cmd.addAll(List.of("-jar", jar.toString()));
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        HttpClient http = client();
        try {
            // IOException: not listening yet
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("The control plane exited at start:\n" + Files.readString(log));
                        }
                        return http.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode() == 200;
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("The control plane was not ready within 120 s:\n" + Files.readString(log), e);
        }
        return this;
    }

    /** Its {@code starling.home}. */
    public Path home() {
        return home;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGTERM, as systemd or quickstart.sh down would send. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * SIGKILL, as the OOM killer or a power cut: no shutdown hook runs, so the embedded PostgreSQL
     * is left running on the data folder, and the next {@link #start} on the same folder must cope.
     */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
