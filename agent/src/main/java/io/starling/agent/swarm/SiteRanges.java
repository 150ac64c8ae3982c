package io.starling.agent.swarm;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The address ranges of the agent's own site, as the control plane sends them at check-in
 * ({@code 10.1.0.0/16}, {@code 2001:db8:1::/48}): a peer inside one of them is a same-site peer.
 *
 * <p>Nothing here ever resolves a name. {@link InetAddress#getByName} looks a string up in DNS
 * unless it is an address literal, and a peer address or a range is a literal or nothing: IPv4
 * is parsed here, IPv6 is handed to the JDK only in a shape that its literal parser takes or
 * refuses without a lookup. An IPv4-mapped IPv6 address ({@code ::ffff:10.1.2.3}, a v4 peer on a
 * dual-stack socket) is its IPv4 address.
 */
public final class SiteRanges {

    /** No ranges: every peer is on another site. */
    public static final SiteRanges NONE = new SiteRanges(List.of());

    private final List<Range> ranges;

    private SiteRanges(List<Range> ranges) {
        this.ranges = ranges;
    }

    /**
     * @throws IllegalArgumentException naming the first entry that is not {@code address/prefix}
     *                                  with an address literal; the control plane validates ranges, so this
     *                                  is a programming error, not user input
     */
    public static SiteRanges of(Collection<String> cidrs) {
        List<Range> parsed = new ArrayList<>();
        for (String c : cidrs) {
            parsed.add(Range.parse(c));
        }
        return new SiteRanges(List.copyOf(parsed));
    }

    /** Whether the address literal lies in one of the ranges; false for anything that is not a literal. */
    public boolean contains(String address) {
        byte[] a = parseAddress(address);
        return a != null && contains(a);
    }

    /** Whether the address (4 or 16 bytes; a mapped IPv6 address counts as IPv4) lies in one of the ranges. */
    public boolean contains(byte[] address) {
        byte[] a = unmap(address);
        for (Range r : ranges) {
            if (r.contains(a)) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    @Override
    public String toString() {
        return ranges.toString();
    }

    /**
     * An address literal as a peer's address is written: dotted-quad IPv4, IPv6 with or without
     * brackets and with an optional {@code %zone} (ignored). IPv4-mapped IPv6 comes back as 4 bytes.
     *
     * @return 4 or 16 bytes, or null when the text is not an address literal
     */
    static byte[] parseAddress(String text) {
        if (text == null) {
            return null;
        }
        String t = text;
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        int zone = t.indexOf('%');
        if (zone >= 0 && t.indexOf(':') >= 0) {
            t = t.substring(0, zone);
        }
        byte[] a = t.indexOf(':') >= 0 ? parseV6(t) : parseV4(t);
        return a == null ? null : unmap(a);
    }

    private static byte[] parseV4(String t) {
        String[] parts = t.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            // No leading zeros: some parsers read 010 as octal 8.
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
                return null;
            }
            int v = 0;
            for (int k = 0; k < p.length(); k++) {
                char c = p.charAt(k);
                if (c < '0' || c > '9') {
                    return null;
                }
                v = v * 10 + (c - '0');
            }
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    /**
     * The JDK parses a string that starts with a hex digit or a colon and contains a colon as an
     * IPv6 literal, or throws; it never reaches the resolver with one (a host name has no colon).
     * The character check keeps everything else away from it.
     */
    private static byte[] parseV6(String t) {
        if (t.length() < 2 || t.length() > 45) {
            return null;
        }
        char first = t.charAt(0);
        if (Character.digit(first, 16) < 0 && first != ':') {
            return null;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
            if (!ok) {
                return null;
            }
        }
        try {
            InetAddress a = InetAddress.getByName(t);
            byte[] bytes = a.getAddress();
            // The JDK turns ::ffff:a.b.c.d into an Inet4Address; keep 16 bytes here, unmap() decides.
            return a instanceof Inet6Address ? bytes : mapped(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static byte[] mapped(byte[] v4) {
        byte[] out = new byte[16];
        out[10] = (byte) 0xff;
        out[11] = (byte) 0xff;
        System.arraycopy(v4, 0, out, 12, 4);
        return out;
    }

    private static byte[] unmap(byte[] a) {
        if (a.length == 16) {
            for (int i = 0; i < 10; i++) {
                if (a[i] != 0) {
                    return a;
                }
            }
            if (a[10] == (byte) 0xff && a[11] == (byte) 0xff) {
                return Arrays.copyOfRange(a, 12, 16);
            }
        }
        return a;
    }

    /** One CIDR range; host bits beyond the prefix are ignored (the control plane refuses them anyway). */
    private record Range(byte[] network, int prefix, String text) {

        static Range parse(String cidr) {
            String t = cidr == null ? "" : cidr.strip();
            int slash = t.indexOf('/');
            byte[] address = slash < 0 ? null : parseAddress(t.substring(0, slash));
            int prefix = slash < 0 ? -1 : prefix(t.substring(slash + 1));
            boolean v6 = t.indexOf(':') >= 0;
            if (address != null && v6 && address.length == 4) {
                prefix -= 96; // ::ffff:10.0.0.0/104 is 10.0.0.0/8; below /96 it would span both families
            }
            if (address == null || prefix < 0 || prefix > address.length * 8) {
                throw new IllegalArgumentException("'" + cidr + "' is not a CIDR range like 10.1.0.0/16 or 2001:db8::/32");
            }
            return new Range(address, prefix, t.toLowerCase(Locale.ROOT));
        }

        private static int prefix(String p) {
            if (p.isEmpty() || p.length() > 3) {
                return -1;
            }
            int v = 0;
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                v = v * 10 + (c - '0');
            }
            return v;
        }

        boolean contains(byte[] a) {
            if (a.length != network.length) {
                return false;
            }
            int whole = prefix / 8;
            for (int i = 0; i < whole; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff00 >>> rest) & 0xff;
            return ((a[whole] ^ network[whole]) & mask) == 0;
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
