package io.starling.agent.swarm;

import io.starling.protocol.agent.PeerSources;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Tells where downloaded bytes came from, from the connection that delivered them and what the
 * last check-in said ({@link PeerSources}). Immutable: {@link AgentSwarm#updatePeerSources}
 * swaps in a new one.
 */
final class SourceClassifier {

    enum Source { SAME_SITE, OTHER_SITE, ORIGIN, WEB_SEED }

    private static final Logger LOG = Logger.getLogger(SourceClassifier.class);

    static final SourceClassifier NONE = new SourceClassifier(SiteRanges.NONE, Set.of(), Set.of());

    private final SiteRanges site;
    /** Canonical {@code address:port} of each origin seeder. */
    private final Set<String> originEndpoints;
    /** Canonical addresses of the origin seeders. */
    private final Set<String> originAddresses;

    private SourceClassifier(SiteRanges site, Set<String> originEndpoints, Set<String> originAddresses) {
        this.site = site;
        this.originEndpoints = originEndpoints;
        this.originAddresses = originAddresses;
    }

    /** Origin peers that are not {@code address:port} with an address literal are ignored: no DNS here. */
    static SourceClassifier of(PeerSources sources) {
        Set<String> endpoints = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        for (String peer : sources.originPeers()) {
            int colon = peer == null ? -1 : peer.lastIndexOf(':');
            byte[] a = colon <= 0 ? null : SiteRanges.parseAddress(peer.substring(0, colon));
            int port = colon <= 0 ? -1 : port(peer.substring(colon + 1));
            if (a == null || port < 0) {
                LOG.debugf("Ignoring origin peer '%s': not address:port with an address literal", peer);
                continue;
            }
            endpoints.add(key(a, port));
            addresses.add(HexFormat.of().formatHex(a));
        }
        return new SourceClassifier(SiteRanges.of(sources.siteCidrs()), Set.copyOf(endpoints), Set.copyOf(addresses));
    }

    /**
     * @param address the remote address as libtorrent writes it
     * @param port    the remote port: the listen port when we connected, an ephemeral one when the peer did
     * @param webSeed an HTTP (BEP 19 / BEP 17) connection rather than a BitTorrent peer
     */
    Source classify(String address, int port, boolean webSeed) {
        if (webSeed) {
            return Source.WEB_SEED;
        }
        byte[] a = SiteRanges.parseAddress(address);
        if (a == null) {
            return Source.OTHER_SITE;
        }
        if (originEndpoints.contains(key(a, port))) {
            return Source.ORIGIN;
        }
        boolean sameSite = site.contains(a);
        // When the origin seeder connected to us, its port is an ephemeral one. An origin address
        // outside the site's ranges runs nothing but the control plane, so any port means origin.
        if (!sameSite && originAddresses.contains(HexFormat.of().formatHex(a))) {
            return Source.ORIGIN;
        }
        return sameSite ? Source.SAME_SITE : Source.OTHER_SITE;
    }

    private static String key(byte[] address, int port) {
        return HexFormat.of().formatHex(address) + ":" + port;
    }

    private static int port(String text) {
        try {
            int p = Integer.parseInt(text);
            return p >= 0 && p <= 65535 ? p : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
