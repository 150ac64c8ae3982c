package io.starling.e2e;

import static org.awaitility.Awaitility.await;

import io.starling.protocol.testing.S3ProxySettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * S3Proxy ({@code org.gaul:s3proxy}, the jar with dependencies the build copies to
 * {@code target/s3proxy}) as the S3-compatible object store control planes share: its own process
 * on a free port, keeping objects under a folder of the test's ({@code filesystem-nio2}: a bucket is
 * a folder, an object a file), with one bucket made beforehand, as an operator makes it.
 */
final class S3Proxy implements AutoCloseable {

    static final String BUCKET = "starling-it";
    private static final String IDENTITY = "starling-it";
    private static final String CREDENTIAL = "starling-it-secret";

    private final Process process;
    private final Path dir;
    private final int port;

    private S3Proxy(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    static Optional<String> whyNot() {
        return jar().isPresent() ? Optional.empty()
                : Optional.of("S3Proxy's jar is not at " + System.getProperty("s3proxy.jar")
                        + " (run the test through Maven: it copies the jar from Maven Central)");
    }

    private static Optional<Path> jar() {
        return Optional.ofNullable(System.getProperty("s3proxy.jar")).map(Path::of).filter(Files::isRegularFile);
    }

    static S3Proxy start(Path work) throws IOException {
        Path dir = Files.createDirectories(work.resolve("s3proxy"));
        // The filesystem provider keeps a bucket as a folder: creating the folder creates the bucket.
        Files.createDirectories(dir.resolve("data").resolve(BUCKET));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path properties = dir.resolve("s3proxy.conf");
        Files.write(properties, S3ProxySettings.lines(URI.create("http://127.0.0.1:" + port), IDENTITY, CREDENTIAL,
                dir.resolve("data")));
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-jar", jar().orElseThrow().toString(), "--properties", properties.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("s3proxy.log").toFile()).start();
        S3Proxy proxy = new S3Proxy(p, dir, port);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!p.isAlive()) {
                throw new IllegalStateException("S3Proxy exited at start: " + Files.readString(dir.resolve("s3proxy.log")));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return proxy;
    }

    /** What a control plane needs to keep its blobs in the bucket, as JVM options. */
    List<String> controlPlaneSettings() {
        return List.of("-Dstarling.blob-store.type=s3", "-Dstarling.blob-store.s3.endpoint=http://127.0.0.1:" + port,
                "-Dstarling.blob-store.s3.bucket=" + BUCKET, "-Dstarling.blob-store.s3.path-style=true",
                "-Dstarling.blob-store.s3.access-key=" + IDENTITY, "-Dstarling.blob-store.s3.secret-key=" + CREDENTIAL);
    }

    /** The file that holds an object of the bucket (filesystem-nio2 keeps its key as the path). */
    Path objectFile(String key) {
        return dir.resolve("data").resolve(BUCKET).resolve(key);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
