package io.starling.controlplane.tracker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A raw query string split into percent-decoded byte values. Tracker parameters such as
 * {@code info_hash} are binary: decoding them as UTF-8 text, as web frameworks do, corrupts them.
 */
final class Query {

    static final int MAX_LENGTH = 8192;

    private final Map<String, Object> values = new HashMap<>(); // byte[] or List<byte[]> when repeated

    private Query() {
    }

    static Query parse(String raw) {
        Query q = new Query();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        if (raw.length() > MAX_LENGTH) {
            throw new TrackerRefusal("query string too long");
        }
        int start = 0;
        while (start <= raw.length()) {
            int amp = raw.indexOf('&', start);
            int end = amp < 0 ? raw.length() : amp;
            if (end > start) {
                int eq = raw.indexOf('=', start);
                String name;
                byte[] value;
                if (eq < 0 || eq > end) {
                    name = new String(decode(raw, start, end), StandardCharsets.UTF_8);
                    value = new byte[0];
                } else {
                    name = new String(decode(raw, start, eq), StandardCharsets.UTF_8);
                    value = decode(raw, eq + 1, end);
                }
                q.add(name, value);
            }
            if (amp < 0) {
                break;
            }
            start = amp + 1;
        }
        return q;
    }

    @SuppressWarnings("unchecked")
    private void add(String name, byte[] value) {
        Object existing = values.get(name);
        if (existing == null) {
            values.put(name, value);
        } else if (existing instanceof byte[] first) {
            values.put(name, new java.util.ArrayList<>(List.of(first, value)));
        } else {
            ((List<byte[]>) existing).add(value);
        }
    }

    /** The single value of {@code name}, or null; a repeated parameter is refused as ambiguous. */
    byte[] single(String name) {
        Object v = values.get(name);
        if (v instanceof List<?>) {
            throw new TrackerRefusal("parameter '" + name + "' given more than once");
        }
        return (byte[]) v;
    }

    /** Every value of {@code name} (scrape accepts several info_hash values, BEP 48). */
    @SuppressWarnings("unchecked")
    List<byte[]> all(String name) {
        Object v = values.get(name);
        if (v == null) {
            return List.of();
        }
        return v instanceof byte[] b ? List.of(b) : (List<byte[]>) v;
    }

    String text(String name) {
        byte[] v = single(name);
        return v == null ? null : new String(v, StandardCharsets.ISO_8859_1);
    }

    private static byte[] decode(String s, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= to) {
                    throw new TrackerRefusal("malformed percent-encoding in query");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new TrackerRefusal("malformed percent-encoding in query");
                }
                out.write((hi << 4) | lo);
                i += 2;
            } else if (c == '+') {
                out.write(' ');
            } else if (c > 0x7f) {
                throw new TrackerRefusal("query string must be ASCII");
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }
}
