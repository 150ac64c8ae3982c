package io.starling.agent.swarm;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Turns libtorrent's failures to reach a tracker over HTTPS into one warning that says why, once
 * per server, torrent and error (libtorrent retries every minute or so; the repeats go to debug).
 * A web seed refused the same way only shows as a peer that disconnects (libtorrent posts no
 * web seed alert for it); it is the same server as the tracker when both come from
 * {@code starling.public-url}.
 *
 * <p>Why it needs saying: libtorrent checks those certificates itself, not with the agent's
 * {@code --ca-bundle}. For an SSL torrent it trusts the CA in the torrent's info dictionary (the
 * swarm CA) and nothing else; for a plain torrent its own OpenSSL's default locations, which this
 * libtorrent4j build cannot use ("init fail (BIO routines, BIO_new)"). docs/security.md, "HTTPS on
 * every control channel".
 */
final class HttpsRefusals {

    private static final Logger LOG = Logger.getLogger(HttpsRefusals.class);

    /** How OpenSSL's and asio's TLS errors read in libtorrent's messages. */
    private static final Pattern TLS_ERROR = Pattern.compile("certificate|ssl|tls|handshake|init fail|bio routines");

    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    /**
     * Logs a failure to announce to {@code url} if it is a TLS failure over HTTPS.
     *
     * @return whether it was one (logged now, or at debug as a repeat)
     */
    boolean trackerFailed(String url, String error, String torrent, boolean sslTorrent) {
        if (url == null || !url.regionMatches(true, 0, "https://", 0, 8)
                || !TLS_ERROR.matcher(error.toLowerCase(Locale.ROOT)).find()) {
            return false;
        }
        String where = origin(url);
        String line = "Swarm: the tracker at " + where + " cannot be used for " + torrent + " over HTTPS ("
                + error + "): " + (sslTorrent
                ? "this is an SSL torrent, and libtorrent accepts only a certificate issued by the swarm CA the "
                        + "torrent carries (not --ca-bundle), for the host name in the URL; the control plane's "
                        + "certificate must come from that CA (starling.swarm.ca-certificate-file)"
                : "libtorrent cannot check HTTPS certificates for a plain torrent in this build; publish SSL torrents "
                        + "(starling.swarm.ssl) or give the control plane an http:// starling.public-url")
                + ". No announce (nor web seed on that server) gets through until then; docs/security.md, "
                + "\"HTTPS on every control channel\"";
        if (reported.add(where + " " + torrent + " " + error)) {
            LOG.warn(line);
        } else {
            LOG.debug(line);
        }
        return true;
    }

    /** Scheme, host and port only: the path carries the agent's passkey, which logs must not. */
    static String origin(String url) {
        try {
            URI u = URI.create(url);
            return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
        } catch (IllegalArgumentException e) {
            return "(an unreadable URL)";
        }
    }
}
