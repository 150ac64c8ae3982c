package io.starling.controlplane.site;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable address → site table with longest-prefix match, read on every tracker announce.
 *
 * <p>Ranges are grouped by prefix length; each group is a sorted array of masked networks. A
 * lookup masks the address once per distinct prefix length, longest first, and binary-searches
 * that group: with a thousand ranges over a handful of lengths that is a few dozen comparisons
 * and no allocation. Sites never nest through the API, but a nested range still resolves to the
 * narrowest one, so a table built from odd data stays correct.
 */
final class SiteTable {

    static final SiteTable EMPTY = of(List.of());

    record Route(Cidr cidr, String site) {
    }

    /** Networks of one family and prefix length, sorted by (high, low) unsigned. */
    private record Level(int prefix, long[] high, long[] low, Optional<String>[] sites) {

        Optional<String> find(long addressHigh, long addressLow) {
            long h = maskHigh(addressHigh, prefix);
            long l = maskLow(addressLow, prefix);
            int lo = 0;
            int hi = high.length - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int c = Long.compareUnsigned(high[mid], h);
                if (c == 0) {
                    c = Long.compareUnsigned(low[mid], l);
                }
                if (c == 0) {
                    return sites[mid];
                }
                if (c < 0) {
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return null;
        }
    }

    private final Level[] v4;
    private final Level[] v6;
    private final int size;

    private SiteTable(Level[] v4, Level[] v6, int size) {
        this.v4 = v4;
        this.v6 = v6;
        this.size = size;
    }

    /** Identical ranges for two sites cannot come from the database; if they do, the first site by name wins. */
    static SiteTable of(Collection<Route> routes) {
        List<Route> sorted = new ArrayList<>(routes);
        sorted.sort(Comparator.comparing(Route::cidr).thenComparing(Route::site));
        TreeMap<Integer, List<Route>> v4 = new TreeMap<>(Comparator.reverseOrder());
        TreeMap<Integer, List<Route>> v6 = new TreeMap<>(Comparator.reverseOrder());
        Cidr previous = null;
        int size = 0;
        for (Route r : sorted) {
            if (r.cidr().equals(previous)) {
                continue;
            }
            previous = r.cidr();
            (r.cidr().family() == 4 ? v4 : v6).computeIfAbsent(r.cidr().prefixLength(), k -> new ArrayList<>()).add(r);
            size++;
        }
        return new SiteTable(levels(v4), levels(v6), size);
    }

    int size() {
        return size;
    }

    /** The site of an address of 4 or 16 bytes; an IPv4-mapped IPv6 address is looked up as IPv4. */
    Optional<String> siteOf(byte[] address) {
        if (address.length == 4) {
            return find(v4, ipv4High(address, 0), 0);
        }
        if (address.length != 16) {
            throw new IllegalArgumentException("An IP address has 4 or 16 bytes, not " + address.length);
        }
        if (IpLiteral.isIpv4Mapped(address)) {
            return find(v4, ipv4High(address, 12), 0);
        }
        return find(v6, bytesToLong(address, 0), bytesToLong(address, 8));
    }

    private static Optional<String> find(Level[] levels, long high, long low) {
        for (Level level : levels) {
            Optional<String> site = level.find(high, low);
            if (site != null) {
                return site;
            }
        }
        return Optional.empty();
    }

    @SuppressWarnings("unchecked")
    private static Level[] levels(Map<Integer, List<Route>> byPrefix) {
        List<Level> levels = new ArrayList<>();
        byPrefix.forEach((prefix, routes) -> {
            // Already sorted by network: Cidr orders by unsigned network bytes, as Level compares.
            long[] high = new long[routes.size()];
            long[] low = new long[routes.size()];
            Optional<String>[] sites = new Optional[routes.size()];
            for (int i = 0; i < routes.size(); i++) {
                byte[] network = routes.get(i).cidr().network();
                high[i] = network.length == 4 ? ipv4High(network, 0) : bytesToLong(network, 0);
                low[i] = network.length == 4 ? 0 : bytesToLong(network, 8);
                sites[i] = Optional.of(routes.get(i).site());
            }
            levels.add(new Level(prefix, high, low, sites));
        });
        return levels.toArray(Level[]::new);
    }

    /** IPv4 sits in the top 32 bits, so one masking rule serves both families. */
    private static long ipv4High(byte[] b, int from) {
        return ((long) (b[from] & 0xff) << 56) | ((long) (b[from + 1] & 0xff) << 48)
                | ((long) (b[from + 2] & 0xff) << 40) | ((long) (b[from + 3] & 0xff) << 32);
    }

    private static long bytesToLong(byte[] b, int from) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[from + i] & 0xff);
        }
        return v;
    }

    private static long maskHigh(long high, int prefix) {
        return prefix == 0 ? 0 : prefix >= 64 ? high : high & (-1L << (64 - prefix));
    }

    private static long maskLow(long low, int prefix) {
        return prefix <= 64 ? 0 : prefix == 128 ? low : low & (-1L << (128 - prefix));
    }
}
