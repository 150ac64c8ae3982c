package io.starling.controlplane.tracker;

import io.starling.controlplane.site.IpLiteral;

/** Peer addresses as raw bytes (4 or 16; IPv4-mapped IPv6 folded to IPv4), never resolved by DNS. */
final class Addresses {

    private Addresses() {
    }

    static byte[] parse(String literal) {
        byte[] ip = IpLiteral.parseHost(literal);
        if (ip == null) {
            throw new IllegalArgumentException("not an IP address: " + literal);
        }
        return ip;
    }

    static byte[] fold(byte[] ip) {
        return IpLiteral.unmap(ip);
    }

    static String toText(byte[] ip) {
        return IpLiteral.format(ip);
    }

    /** "host:port" or "[v6]:port" → a peer entry, for the origin seeder. */
    static PeerAddress hostPort(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected host:port, got " + value);
        }
        int port = Integer.parseInt(value.substring(colon + 1));
        return new PeerAddress(parse(value.substring(0, colon)), port, null);
    }
}
