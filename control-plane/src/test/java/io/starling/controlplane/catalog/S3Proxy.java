package io.starling.controlplane.catalog;

import io.starling.protocol.testing.S3ProxySettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for the tests: S3Proxy's runnable jar (from Maven Central, copied to
 * {@code target/s3proxy} by the build) as a process on a free port, keeping objects in a temporary
 * folder. One per test JVM, started on first use and stopped when the JVM exits; each test takes
 * a bucket of its own.
 */
public final class S3Proxy {

    public static final String IDENTITY = "starling-test";
    public static final String CREDENTIAL = "starling-test-secret";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static S3Proxy running;

    private final Process process;
    private final Path dir;
    private final URI endpoint;
    private int buckets;

    private S3Proxy(Process process, Path dir, URI endpoint) {
        this.process = process;
        this.dir = dir;
        this.endpoint = endpoint;
    }

    public static synchronized S3Proxy get() {
        if (running == null) {
            running = start();
            Runtime.getRuntime().addShutdownHook(new Thread(running::stop, "s3proxy-stop"));
        }
        return running;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A configuration for a store at this server. */
    public BlobStoreConfig.S3 config(String bucket) {
        return new Config(Optional.of(endpoint), Optional.of(bucket));
    }

    /** The same configuration for a store at another address (a test's own fake server). */
    static BlobStoreConfig.S3 config(URI endpoint, String bucket) {
        return new Config(Optional.of(endpoint), Optional.of(bucket));
    }

    /** Creates a new, empty bucket. */
    public synchronized String newBucket() {
        String bucket = "test-" + ProcessHandle.current().pid() + "-" + (++buckets);
        try (S3Client client = BlobStores.client(config(bucket))) {
            client.createBucket(b -> b.bucket(bucket));
        }
        return bucket;
    }

    private static S3Proxy start() {
        Path jar = jar();
        try {
            Path dir = Files.createTempDirectory("s3proxy-");
            Path data = Files.createDirectories(dir.resolve("data"));
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            Path properties = dir.resolve("s3proxy.conf");
            Files.write(properties, S3ProxySettings.lines(endpoint, IDENTITY, CREDENTIAL, data));
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "--properties", properties.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("s3proxy.log").toFile())
                    .start();
            S3Proxy proxy = new S3Proxy(process, dir, endpoint);
            proxy.awaitPort(port);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start S3Proxy from " + jar, e);
        }
    }

    private static Path jar() {
        String configured = System.getProperty("s3proxy.jar");
        Path fromBuild = configured == null ? null : Path.of(configured);
        Path fromRepository = Path.of(System.getProperty("user.home"), ".m2", "repository", "org", "gaul", "s3proxy",
                "2.6.0", "s3proxy-2.6.0-jar-with-dependencies.jar");
        return Stream.of(fromBuild, fromRepository).filter(p -> p != null && Files.isRegularFile(p)).findFirst()
                .orElseThrow(() -> new IllegalStateException("S3Proxy's jar is neither at " + configured + " nor at "
                        + fromRepository + ": run the tests through Maven (it copies the jar in generate-test-resources)"));
    }

    private void awaitPort(int port) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("S3Proxy exited at start: " + Files.readString(dir.resolve("s3proxy.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        stop();
        throw new IOException("S3Proxy did not listen on port " + port + " within " + START_TIMEOUT.toSeconds() + " s");
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder: the system cleans it eventually
        }
    }

    private record Config(Optional<URI> endpoint, Optional<String> bucket) implements BlobStoreConfig.S3 {
        @Override
        public String region() {
            return "us-east-1";
        }

        @Override
        public Optional<String> accessKey() {
            return Optional.of(IDENTITY);
        }

        @Override
        public Optional<String> secretKey() {
            return Optional.of(CREDENTIAL);
        }

        @Override
        public boolean pathStyle() {
            return true;
        }

        @Override
        public int partSize() {
            return S3BlobStore.MIN_PART_SIZE;
        }

        @Override
        public int maxConnections() {
            return 16;
        }

        @Override
        public int partsInFlight() {
            return S3BlobStore.DEFAULT_PARTS_IN_FLIGHT;
        }
    }
}
