package io.starling.controlplane.tracker;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** Peer addresses as raw bytes: 4 for IPv4, 16 for IPv6; IPv4-mapped IPv6 is folded to IPv4. */
final class Addresses {

    private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");

    private Addresses() {
    }

    /**
     * Parses an IP literal as Vert.x reports it. Never a host name: {@link InetAddress#getByName}
     * would resolve one, so only strings made of address characters get that far.
     */
    static byte[] parse(String literal) {
        if (literal == null) {
            throw new IllegalArgumentException("not an IP address: null");
        }
        String s = literal.startsWith("[") && literal.endsWith("]") ? literal.substring(1, literal.length() - 1) : literal;
        // getByName takes a string with ':' as an IPv6 literal; anything else must be dotted-quad.
        boolean v6 = s.indexOf(':') >= 0 && s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
        if (!v6 && !IPV4.matcher(s).matches()) {
            throw new IllegalArgumentException("not an IP address: " + literal);
        }
        try {
            return fold(InetAddress.getByName(s).getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + literal, e);
        }
    }

    static byte[] fold(byte[] ip) {
        if (ip.length == 16) {
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= ip[i] == 0;
            }
            if (mapped && ip[10] == (byte) 0xff && ip[11] == (byte) 0xff) {
                return Arrays.copyOfRange(ip, 12, 16);
            }
        }
        return ip;
    }

    static String toText(byte[] ip) {
        try {
            return InetAddress.getByAddress(ip).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
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
