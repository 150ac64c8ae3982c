package io.starling.agent.swarm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A BEP 19 web seed for tests: serves the files of one folder with single Range requests. */
public final class TestWebSeed implements AutoCloseable {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    private final HttpServer server;
    private final Path dir;
    private final AtomicLong served = new AtomicLong();

    private TestWebSeed(Path dir) throws IOException {
        this.dir = dir;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/seed/", this::serve);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
    }

    public static TestWebSeed serving(Path dir) throws IOException {
        Files.createDirectories(dir);
        return new TestWebSeed(dir);
    }

    /** Ends with a slash: for a single-file torrent the client appends the file's name (BEP 19). */
    public String url() {
        return "http://127.0.0.1:" + port() + "/seed/";
    }

    int port() {
        return server.getAddress().getPort();
    }

    public long bytesServed() {
        return served.get();
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
