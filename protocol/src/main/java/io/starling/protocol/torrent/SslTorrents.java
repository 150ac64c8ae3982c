package io.starling.protocol.torrent;

import org.libtorrent4j.TorrentInfo;
import org.libtorrent4j.Vectors;
import org.libtorrent4j.swig.bdecode_node;
import org.libtorrent4j.swig.torrent_handle;

/**
 * What both ends of an SSL torrent (an info dictionary with {@code ssl-cert}) do: the origin
 * seeder and every agent load a certificate from the swarm CA on the torrent's handle, and
 * libtorrent then exchanges pieces with a peer only over TLS, and only when the peer's
 * certificate chains to that CA. A torrent without a certificate loaded connects to nobody.
 *
 * <p>The session must listen for TLS too: a listen interface with an {@code s} suffix
 * ({@link #sslListenInterface}).
 */
public final class SslTorrents {

    /**
     * libtorrent insists on Diffie-Hellman parameters with every certificate (an empty buffer is a
     * torrent error, "no start line … [dh params]"). These are RFC 7919's ffdhe2048 group: public,
     * fixed and vetted, so nothing has to generate them; ECDHE is what TLS 1.3 uses anyway.
     */
    static final String DH_PARAMS = """
            -----BEGIN DH PARAMETERS-----
            MIIBCAKCAQEA//////////+t+FRYortKmq/cViAnPTzx2LnFg84tNpWp4TZBFGQz
            +8yTnc4kmz75fS/jY2MMddj2gbICrsRhetPfHtXV/WVhJDP1H18GbtCFY2VVPe0a
            87VXE15/V8k1mE8McODmi3fipona8+/och3xWKE2rec1MKzKT0g6eXq8CrGCsyT7
            YdEIqUuyyOP7uWrat2DX9GgdT0Kj3jlN9K5W7edjcrsZCwenyO4KbXCeAvzhzffi
            7MA0BM0oNC9hkXL+nOmFg/+OTxIy7vKBg8P+OxtMb61zO7X8vC7CIAXFjvGDfRaD
            ssbzSibBsu/6iGtCOGEoXJf//////////wIBAg==
            -----END DH PARAMETERS-----
            """;

    private SslTorrents() {
    }

    /**
     * Loads this peer's certificate and key (both PEM; the key PKCS#8, unencrypted) on an SSL
     * torrent's handle. Asynchronous in libtorrent; a certificate libtorrent cannot read comes
     * back as a torrent error alert. Replacing it (a renewed certificate) takes effect for the
     * next connections; established ones keep theirs.
     */
    public static void setCertificate(torrent_handle h, String certificatePem, String privateKeyPem) {
        h.set_ssl_certificate_buffer_ex(Vectors.ascii2byte_vector(certificatePem),
                Vectors.ascii2byte_vector(privateKeyPem), Vectors.ascii2byte_vector(DH_PARAMS));
    }

    /** Whether the torrent is an SSL torrent: its info dictionary carries a CA certificate ({@code ssl-cert}). */
    public static boolean isSsl(TorrentInfo ti) {
        return ti.info("ssl-cert").type() == bdecode_node.type_t.string_t;
    }

    /**
     * The listen interfaces for a session that takes part in SSL torrents: the plain interface
     * and a TLS one on {@code sslPort} ({@code 0.0.0.0:6881} → {@code 0.0.0.0:6881,0.0.0.0:6882s}).
     *
     * @param plain {@code address:port}
     * @param sslPort 0 for any free port
     */
    public static String sslListenInterface(String plain, int sslPort) {
        String address = plain.substring(0, plain.lastIndexOf(':'));
        return plain + "," + address + ":" + sslPort + "s";
    }
}
