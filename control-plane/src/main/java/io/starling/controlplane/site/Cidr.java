package io.starling.controlplane.site;

import io.starling.controlplane.common.DomainException;
import io.starling.controlplane.common.Names;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network in CIDR notation, always in its normalised form: host bits beyond the
 * prefix are refused rather than silently cleared, because {@code 10.1.2.0/16} is more often a
 * typo for {@code /24} than a wish for {@code 10.1.0.0/16}.
 *
 * <p>IPv4-mapped IPv6 addresses ({@code ::ffff:10.1.2.3}) are IPv4 peers on dual-stack sockets,
 * so they fall into IPv4 ranges, and ranges inside {@code ::ffff:0:0/96} are refused in favour
 * of their IPv4 spelling.
 */
public final class Cidr implements Comparable<Cidr> {

    private static final String EXAMPLES = "like 10.1.0.0/16 or 2001:db8::/32";

    private final byte[] network;
    private final int prefixLength;

    private Cidr(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /** @throws DomainException.Invalid with a message that says how to write it instead */
    public static Cidr parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid("A CIDR range must not be empty; write one " + EXAMPLES + ".");
        }
        String t = text.strip();
        int slash = t.indexOf('/');
        String addressPart = slash < 0 ? t : t.substring(0, slash);
        byte[] address = IpLiteral.parse(addressPart);
        if (address == null) {
            throw invalid("'" + Names.printable(text) + "' is not a CIDR range: expected an IPv4 or IPv6 network address"
                    + " and a prefix length, " + EXAMPLES + " (host names are not accepted).");
        }
        int bits = address.length * 8;
        if (slash < 0) {
            throw invalid("'" + Names.printable(text) + "' has no prefix length; write " + addressPart + "/" + bits
                    + " for this one address, or the network it belongs to, " + EXAMPLES + ".");
        }
        String prefixPart = t.substring(slash + 1);
        int prefix = prefixLength(prefixPart);
        if (prefix < 0 || prefix > bits) {
            throw invalid("'" + Names.printable(text) + "' has prefix length '/" + Names.printable(prefixPart)
                    + "'; " + (bits == 32 ? "IPv4" : "IPv6") + " allows /0 to /" + bits + ".");
        }
        byte[] network = masked(address, prefix);
        if (IpLiteral.isIpv4Mapped(address) && prefix >= 96) {
            String ipv4 = IpLiteral.format(IpLiteral.unmap(network)) + "/" + (prefix - 96);
            throw invalid("'" + Names.printable(text) + "' is an IPv4-mapped IPv6 range; such peers are matched as"
                    + " IPv4, so write it as " + ipv4 + ".");
        }
        if (!Arrays.equals(network, address)) {
            String normalised = IpLiteral.format(network) + "/" + prefix;
            throw invalid("'" + Names.printable(text) + "' has host bits set beyond its /" + prefix + " prefix; did you mean "
                    + normalised + " (the network), or " + IpLiteral.format(address) + "/" + bits + " (that one address)?");
        }
        return new Cidr(network, prefix);
    }

    /** 4 or 6. */
    public int family() {
        return network.length == 4 ? 4 : 6;
    }

    public int prefixLength() {
        return prefixLength;
    }

    /** The network address: 4 or 16 bytes, host bits zero. */
    public byte[] network() {
        return network.clone();
    }

    /**
     * Whether the address (4 or 16 bytes) lies in this range. An IPv4-mapped IPv6 address is
     * its IPv4 address.
     */
    public boolean contains(byte[] address) {
        if (address == null || (address.length != 4 && address.length != 16)) {
            throw new IllegalArgumentException("An IP address has 4 or 16 bytes");
        }
        byte[] a = IpLiteral.unmap(address);
        return a.length == network.length && samePrefix(network, a, prefixLength);
    }

    /** Whether some address lies in both ranges: one contains the other, as CIDR ranges never partly overlap. */
    public boolean overlaps(Cidr other) {
        return network.length == other.network.length
                && samePrefix(network, other.network, Math.min(prefixLength, other.prefixLength));
    }

    /** IPv4 first, then by network address, then wider ranges before the ranges they contain. */
    @Override
    public int compareTo(Cidr o) {
        if (network.length != o.network.length) {
            return Integer.compare(network.length, o.network.length);
        }
        int byNetwork = Arrays.compareUnsigned(network, o.network);
        return byNetwork != 0 ? byNetwork : Integer.compare(prefixLength, o.prefixLength);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && prefixLength == c.prefixLength && Arrays.equals(network, c.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    /** The normalised text, e.g. {@code 10.1.0.0/16}, {@code 2001:db8:1::/48}. */
    @Override
    public String toString() {
        return IpLiteral.format(network) + "/" + prefixLength;
    }

    private static int prefixLength(String text) {
        // Digits only, no sign or leading zeros: Integer.parseInt alone would take "+8" and "008".
        if (text.isEmpty() || text.length() > 3 || (text.length() > 1 && text.charAt(0) == '0')) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    static byte[] masked(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - 8 * i));
            out[i] &= (byte) (0xff00 >>> keep);
        }
        return out;
    }

    private static boolean samePrefix(byte[] a, byte[] b, int prefix) {
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff00 >>> rest) & 0xff;
        return ((a[whole] ^ b[whole]) & mask) == 0;
    }

    private static DomainException.Invalid invalid(String detail) {
        return new DomainException.Invalid(detail);
    }
}
