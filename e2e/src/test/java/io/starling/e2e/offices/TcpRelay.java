package io.starling.e2e.offices;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Forwards TCP connections from one address to another. The simulated offices reach Keycloak,
 * which listens on the root namespace's loopback only, through the origin's address.
 */
final class TcpRelay implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress target;

    TcpRelay(InetSocketAddress listen, InetSocketAddress target) throws IOException {
        this.server = new ServerSocket();
        this.server.setReuseAddress(true);
        this.server.bind(listen);
        this.target = target;
        Thread acceptor = new Thread(this::accept, "relay-" + listen.getPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket in = server.accept();
                Socket out = new Socket();
                try {
                    out.connect(target, 5_000);
                } catch (IOException e) {
                    in.close();
                    continue;
                }
                pump(in, out);
                pump(out, in);
            } catch (IOException e) {
                // closed, or one connection failed: the client sees its connection drop
            }
        }
    }

    /** One direction; at its end both sockets close (HTTP clients here never half-close). */
    private static void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            try {
                from.getInputStream().transferTo(to.getOutputStream());
            } catch (IOException e) {
                // the other side went away
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "relay-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
