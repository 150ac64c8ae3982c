package io.starling.controlplane.tracker;

import io.starling.protocol.bencode.Bencode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Bencoded tracker answers (BEP 3, compact peers BEP 23, IPv6 peers BEP 7, scrape BEP 48). */
final class TrackerResponses {

    private TrackerResponses() {
    }

    static byte[] failure(String reason) {
        return Bencode.encode(Map.of("failure reason", reason));
    }

    static byte[] announce(Swarm.Result result, boolean compact, long intervalSeconds, long minIntervalSeconds) {
        Map<String, Object> d = new TreeMap<>();
        d.put("interval", intervalSeconds);
        d.put("min interval", minIntervalSeconds);
        d.put("complete", (long) result.stats().seeds());
        d.put("incomplete", (long) result.stats().leechers());
        d.put("downloaded", result.stats().completed());
        if (compact) {
            ByteArrayOutputStream v4 = new ByteArrayOutputStream(6 * result.peers().size());
            ByteArrayOutputStream v6 = new ByteArrayOutputStream();
            for (PeerAddress p : result.peers()) {
                ByteArrayOutputStream out = p.ip().length == 4 ? v4 : v6;
                out.writeBytes(p.ip());
                out.write(p.port() >> 8);
                out.write(p.port() & 0xff);
            }
            d.put("peers", v4.toByteArray());
            if (v6.size() > 0) {
                d.put("peers6", v6.toByteArray());
            }
        } else {
            List<Object> list = new ArrayList<>(result.peers().size());
            for (PeerAddress p : result.peers()) {
                Map<String, Object> peer = new TreeMap<>();
                peer.put("ip", Addresses.toText(p.ip()));
                peer.put("port", (long) p.port());
                if (p.peerId() != null) {
                    peer.put("peer id", p.peerId());
                }
                list.add(peer);
            }
            d.put("peers", list);
        }
        return Bencode.encode(d);
    }

    /** BEP 48: {"files": {info_hash: {complete, downloaded, incomplete}}}. */
    static byte[] scrape(Map<byte[], Swarm.Stats> files) {
        Map<Object, Object> entries = new TreeMap<>((a, b) -> java.util.Arrays.compareUnsigned((byte[]) a, (byte[]) b));
        files.forEach((hash, s) -> {
            Map<String, Object> e = new TreeMap<>();
            e.put("complete", (long) s.seeds());
            e.put("incomplete", (long) s.leechers());
            e.put("downloaded", s.completed());
            entries.put(hash, e);
        });
        Map<String, Object> d = new TreeMap<>();
        d.put("files", entries);
        return Bencode.encode(d);
    }

    static String ascii(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
