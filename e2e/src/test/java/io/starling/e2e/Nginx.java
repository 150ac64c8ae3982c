package io.starling.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Debian's nginx ({@code nginx-light}) as the load balancer in front of control-plane replicas,
 * round robin, with everything it writes (pid, logs, temporary files) in a temporary folder. A
 * request that cannot reach a replica (refused, reset before an answer) goes to the next one, as
 * a production load balancer's health checks and retries would have it.
 */
final class Nginx implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/nginx");

    private final Process process;
    private final int port;
    private final Path dir;

    private Nginx(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    static Optional<String> whyNot() {
        return Files.isExecutable(BINARY) ? Optional.empty()
                : Optional.of("nginx is not installed (apt-get install -y nginx-light)");
    }

    /** @param upstreams {@code host:port} of each replica */
    static Nginx start(Path work, List<String> upstreams) throws IOException {
        Path dir = Files.createDirectories(work.resolve("nginx"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String servers = upstreams.stream().map(u -> "    server " + u + " max_fails=1 fail_timeout=10s;")
                .collect(Collectors.joining("\n"));
        String conf = """
                worker_processes 1;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 1024; }
                http {
                  access_log %1$s/access.log;
                  client_body_temp_path %1$s/body;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  client_max_body_size 0;
                  upstream control_plane {
                %2$s
                  }
                  server {
                    listen 127.0.0.1:%3$d;
                    location / {
                      proxy_pass http://control_plane;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      proxy_set_header Host $http_host;
                      proxy_set_header X-Forwarded-For $remote_addr;
                      proxy_set_header X-Forwarded-Proto $scheme;
                      proxy_next_upstream error timeout http_502 http_503;
                      proxy_connect_timeout 2s;
                      proxy_read_timeout 300s;
                      proxy_buffering off;
                      proxy_request_buffering off;
                    }
                  }
                }
                """.formatted(dir, servers, port);
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf);
        Process p = new ProcessBuilder(BINARY.toString(), "-p", dir.toString(), "-e", dir.resolve("error.log").toString(),
                "-c", file.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile())).start();
        Nginx nginx = new Nginx(p, port, dir);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!p.isAlive()) {
                throw new IllegalStateException("nginx exited: " + nginx.log());
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return nginx;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    String log() throws IOException {
        Path errors = dir.resolve("error.log");
        return Files.exists(errors) ? Files.readString(errors) : "";
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
