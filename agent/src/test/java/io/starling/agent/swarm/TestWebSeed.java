package io.starling.agent.swarm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A BEP 19 web seed for tests: serves the files of one folder with single Range requests; over
 * HTTPS it is a tracker too, answering every announce with no peers.
 */
public final class TestWebSeed implements AutoCloseable {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    private final HttpServer server;
    private final Path dir;
    private final AtomicLong served = new AtomicLong();
    private final AtomicInteger announces = new AtomicInteger();

    private TestWebSeed(Path dir, SSLContext tls) throws IOException {
        this.dir = dir;
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        if (tls == null) {
            this.server = HttpServer.create(loopback, 16);
        } else {
            HttpsServer https = HttpsServer.create(loopback, 16);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            https.createContext("/announce", this::announce);
            this.server = https;
        }
        server.createContext("/seed/", this::serve);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
    }

    public static TestWebSeed serving(Path dir) throws IOException {
        Files.createDirectories(dir);
        return new TestWebSeed(dir, null);
    }

    /** Web seed and tracker over HTTPS, with the certificate {@code tls} presents. */
    public static TestWebSeed servingOverHttps(Path dir, SSLContext tls) throws IOException {
        Files.createDirectories(dir);
        return new TestWebSeed(dir, tls);
    }

    /** Ends with a slash: for a single-file torrent the client appends the file's name (BEP 19). */
    public String url() {
        return base() + "/seed/";
    }

    /** The announce URL, over HTTPS only. */
    public String announceUrl() {
        return base() + "/announce";
    }

    public int announces() {
        return announces.get();
    }

    private String base() {
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + port();
    }

    int port() {
        return server.getAddress().getPort();
    }

    public long bytesServed() {
        return served.get();
    }

    private void announce(HttpExchange ex) throws IOException {
        try (ex) {
            announces.incrementAndGet();
            byte[] noPeers = "d8:intervali60e5:peers0:e".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            ex.sendResponseHeaders(200, noPeers.length);
            ex.getResponseBody().write(noPeers);
        }
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            Path file = dir.resolve(ex.getRequestURI().getPath().substring("/seed/".length())).normalize();
            if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            long size = Files.size(file);
            long from = 0;
            long to = size - 1;
            String range = ex.getRequestHeaders().getFirst("Range");
            Matcher m = range == null ? null : RANGE.matcher(range);
            if (m != null && m.matches()) {
                from = Long.parseLong(m.group(1));
                to = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
            }
            long length = to - from + 1;
            ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + size);
            ex.sendResponseHeaders(range == null ? 200 : 206, length);
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r"); OutputStream out = ex.getResponseBody()) {
                f.seek(from);
                byte[] buffer = new byte[64 * 1024];
                long left = length;
                while (left > 0) {
                    int n = f.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) {
                        break;
                    }
                    out.write(buffer, 0, n);
                    left -= n;
                }
                served.addAndGet(length - left);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
