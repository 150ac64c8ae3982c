package io.starling.controlplane.site;

import java.util.Arrays;

/**
 * IPv4 and IPv6 address literals, parsed by hand: {@code InetAddress.getByName} would resolve
 * anything that is not a literal through DNS, and these strings come from API callers and from
 * every tracker announce.
 */
public final class IpLiteral {

    private static final byte[] MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    private IpLiteral() {
    }

    /**
     * A bare literal: dotted-quad IPv4 ({@code 10.1.2.3}, no leading zeros, which some parsers
     * read as octal) or IPv6 text (RFC 4291, including an embedded IPv4 tail). No brackets, no
     * zone, no surrounding whitespace.
     *
     * @return 4 or 16 bytes, as written (an IPv4-mapped IPv6 address stays 16 bytes), or null
     */
    public static byte[] parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return null;
        }
        return text.indexOf(':') >= 0 ? parseV6(text, 0, text.length()) : parseV4(text, 0, text.length());
    }

    /**
     * A peer's address as a server sees it: also accepts {@code [v6]} and a {@code %zone} suffix,
     * which socket APIs and forwarding headers add. IPv4-mapped IPv6 comes back as 4 bytes.
     *
     * @return 4 or 16 bytes, or null when the text is not an address literal
     */
    public static byte[] parseHost(String text) {
        if (text == null || text.isEmpty() || text.length() > 80) {
            return null;
        }
        int start = 0;
        int end = text.length();
        if (text.charAt(0) == '[') {
            if (text.charAt(end - 1) != ']') {
                return null;
            }
            start = 1;
            end -= 1;
        }
        int zone = text.indexOf('%', start);
        if (zone >= 0 && zone < end) {
            end = zone;
        }
        if (end - start > 45 || end <= start) {
            return null;
        }
        boolean v6 = false;
        for (int i = start; i < end; i++) {
            if (text.charAt(i) == ':') {
                v6 = true;
                break;
            }
        }
        byte[] address = v6 ? parseV6(text, start, end) : parseV4(text, start, end);
        return address == null ? null : unmap(address);
    }

    public static boolean isIpv4Mapped(byte[] address) {
        if (address.length != 16) {
            return false;
        }
        for (int i = 0; i < MAPPED_PREFIX.length; i++) {
            if (address[i] != MAPPED_PREFIX[i]) {
                return false;
            }
        }
        return true;
    }

    /** An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) is that IPv4 peer on a dual-stack socket. */
    public static byte[] unmap(byte[] address) {
        if (isIpv4Mapped(address)) {
            return new byte[] {address[12], address[13], address[14], address[15]};
        }
        return address;
    }

    /** Dotted quad for IPv4; RFC 5952 canonical text for IPv6 (lower case, longest zero run as {@code ::}). */
    public static String format(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
        }
        if (address.length != 16) {
            throw new IllegalArgumentException("An IP address has 4 or 16 bytes, not " + address.length);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // RFC 5952 4.2.2: a single zero group is not shortened
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder b = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                b.append("::");
                i += bestLength - 1;
                continue;
            }
            if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
                b.append(':');
            }
            b.append(Integer.toHexString(groups[i]));
        }
        return b.toString();
    }

    static byte[] parseV4(CharSequence s, int start, int end) {
        byte[] out = new byte[4];
        int part = 0;
        int i = start;
        while (true) {
            int digitsStart = i;
            int value = 0;
            while (i < end && i - digitsStart < 3) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    break;
                }
                value = value * 10 + (c - '0');
                i++;
            }
            int digits = i - digitsStart;
            if (digits == 0 || value > 255 || (digits > 1 && s.charAt(digitsStart) == '0')) {
                return null;
            }
            out[part++] = (byte) value;
            if (part == 4) {
                return i == end ? out : null;
            }
            if (i >= end || s.charAt(i) != '.') {
                return null;
            }
            i++;
        }
    }

    static byte[] parseV6(CharSequence s, int start, int end) {
        if (end - start < 2) {
            return null;
        }
        byte[] out = new byte[16];
        int groups = 0;
        int gapAt = -1;
        int i = start;
        if (s.charAt(i) == ':') {
            if (s.charAt(i + 1) != ':') {
                return null;
            }
            gapAt = 0;
            i += 2;
        }
        while (i < end) {
            if (groups == 8) {
                return null;
            }
            int value = 0;
            int j = i;
            while (j < end && j - i < 4) {
                int digit = hexDigit(s.charAt(j));
                if (digit < 0) {
                    break;
                }
                value = (value << 4) | digit;
                j++;
            }
            if (j < end && s.charAt(j) == '.') {
                if (groups > 6) {
                    return null;
                }
                byte[] v4 = parseV4(s, i, end);
                if (v4 == null) {
                    return null;
                }
                System.arraycopy(v4, 0, out, groups * 2, 4);
                groups += 2;
                break;
            }
            if (j == i) {
                return null;
            }
            out[groups * 2] = (byte) (value >>> 8);
            out[groups * 2 + 1] = (byte) value;
            groups++;
            if (j == end) {
                break;
            }
            if (s.charAt(j) != ':') {
                return null;
            }
            j++;
            if (j < end && s.charAt(j) == ':') {
                if (gapAt >= 0) {
                    return null;
                }
                gapAt = groups;
                j++;
            } else if (j == end) {
                return null;
            }
            i = j;
        }
        if (gapAt >= 0) {
            if (groups == 8) {
                return null;
            }
            int tail = groups - gapAt;
            System.arraycopy(out, gapAt * 2, out, 16 - tail * 2, tail * 2);
            Arrays.fill(out, gapAt * 2, 16 - tail * 2, (byte) 0);
        } else if (groups != 8) {
            return null;
        }
        return out;
    }

    /** ASCII only: {@code Character.digit} would also take full-width and other Unicode digits. */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
