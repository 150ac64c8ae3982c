package io.starling.controlplane.tracker;

/**
 * One validated announce (BEP 3), with the peer's address taken from the connection, not from
 * the optional {@code ip} parameter: a private tracker must not let a peer place others.
 */
record AnnounceRequest(byte[] infoHash, byte[] peerId, byte[] ip, int port, long uploaded, long downloaded, long left,
        Event event, int numwant, boolean compact) {

    enum Event {
        NONE, STARTED, COMPLETED, STOPPED
    }

    boolean isSeed() {
        return left == 0;
    }

    /**
     * @param rawQuery the undecoded query string
     * @param ip the connection's address, 4 or 16 bytes
     */
    static AnnounceRequest parse(String rawQuery, byte[] ip, int defaultNumwant, int maxNumwant) {
        Query q = Query.parse(rawQuery);
        byte[] infoHash = twentyBytes(q, "info_hash");
        byte[] peerId = twentyBytes(q, "peer_id");
        int port = (int) number(q, "port", true, 1, 65535);
        long uploaded = number(q, "uploaded", true, 0, Long.MAX_VALUE);
        long downloaded = number(q, "downloaded", true, 0, Long.MAX_VALUE);
        long left = number(q, "left", true, 0, Long.MAX_VALUE);
        long numwant = q.single("numwant") == null ? defaultNumwant : number(q, "numwant", true, 0, Integer.MAX_VALUE);
        String compact = q.text("compact");
        if (compact != null && !compact.equals("0") && !compact.equals("1")) {
            throw new TrackerRefusal("compact must be 0 or 1");
        }
        return new AnnounceRequest(infoHash, peerId, ip, port, uploaded, downloaded, left, event(q.text("event")),
                (int) Math.min(numwant, maxNumwant), !"0".equals(compact));
    }

    private static Event event(String value) {
        if (value == null || value.isEmpty() || value.equals("empty")) {
            return Event.NONE;
        }
        return switch (value) {
            case "started" -> Event.STARTED;
            case "completed" -> Event.COMPLETED;
            case "stopped" -> Event.STOPPED;
            default -> throw new TrackerRefusal("unknown event '" + printable(value) + "'");
        };
    }

    static byte[] twentyBytes(Query q, String name) {
        byte[] v = q.single(name);
        if (v == null) {
            throw new TrackerRefusal("missing " + name);
        }
        if (v.length != 20) {
            throw new TrackerRefusal(name + " must be 20 bytes, got " + v.length);
        }
        return v;
    }

    private static long number(Query q, String name, boolean required, long min, long max) {
        String v = q.text(name);
        if (v == null) {
            if (required) {
                throw new TrackerRefusal("missing " + name);
            }
            return min;
        }
        if (v.isEmpty() || v.length() > 19 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new TrackerRefusal(name + " must be a non-negative integer");
        }
        long n = Long.parseLong(v);
        if (n < min || n > max) {
            throw new TrackerRefusal(name + " must be between " + min + " and " + max);
        }
        return n;
    }

    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 32; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
