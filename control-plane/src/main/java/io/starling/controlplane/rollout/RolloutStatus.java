package io.starling.controlplane.rollout;

import io.starling.protocol.agent.BytesBySource;
import io.starling.protocol.agent.DeploymentState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A rollout's agents counted by deployment state, per wave and per site, with the bytes their
 * deployments report by source: one grouped query, however many agents.
 */
final class RolloutStatus {

    static final String NOT_DEPLOYED = "NOT_DEPLOYED";

    private final Map<Long, Map<String, Long>> byWave = new HashMap<>();
    private final Map<String, Map<String, Long>> bySite = new TreeMap<>();
    private final Map<String, long[]> siteBytes = new HashMap<>();
    private final Map<String, Long> total = emptyCounts();
    private final long[] bytes = new long[4];
    private boolean anyOnNoSite;
    private final Map<String, Long> noSite = emptyCounts();
    private final long[] noSiteBytes = new long[4];

    private RolloutStatus() {
    }

    /** Call inside a transaction. */
    static RolloutStatus of(UUID rolloutId) {
        RolloutStatus s = new RolloutStatus();
        Rollout.getEntityManager().createQuery("select ra.wave.id, a.site, d.state, count(ra),"
                        + " coalesce(sum(d.bytesSameSite), 0), coalesce(sum(d.bytesOtherSite), 0),"
                        + " coalesce(sum(d.bytesOrigin), 0), coalesce(sum(d.bytesWebSeed), 0)"
                        + " from RolloutAgent ra join ra.agent a left join ra.deployment d"
                        + " where ra.rolloutId = :id group by ra.wave.id, a.site, d.state", Object[].class)
                .setParameter("id", rolloutId).getResultList().forEach(s::add);
        return s;
    }

    /** Counts for many rollouts at once, for lists. Call inside a transaction. */
    static Map<UUID, Map<String, Long>> totals(Collection<UUID> rolloutIds) {
        Map<UUID, Map<String, Long>> out = new HashMap<>();
        if (rolloutIds.isEmpty()) {
            return out;
        }
        Rollout.getEntityManager().createQuery("select ra.rolloutId, d.state, count(ra) from RolloutAgent ra"
                        + " left join ra.deployment d where ra.rolloutId in :ids group by ra.rolloutId, d.state", Object[].class)
                .setParameter("ids", rolloutIds).getResultList()
                .forEach(row -> out.computeIfAbsent((UUID) row[0], k -> emptyCounts()).merge(key(row[1]), (Long) row[2],
                        Long::sum));
        return out;
    }

    private void add(Object[] row) {
        Long wave = (Long) row[0];
        String site = (String) row[1];
        String state = key(row[2]);
        long n = (Long) row[3];
        long[] b = {((Number) row[4]).longValue(), ((Number) row[5]).longValue(), ((Number) row[6]).longValue(),
                ((Number) row[7]).longValue()};
        byWave.computeIfAbsent(wave, k -> emptyCounts()).merge(state, n, Long::sum);
        total.merge(state, n, Long::sum);
        addBytes(bytes, b);
        if (site == null) {
            anyOnNoSite = true;
            noSite.merge(state, n, Long::sum);
            addBytes(noSiteBytes, b);
        } else {
            bySite.computeIfAbsent(site, k -> emptyCounts()).merge(state, n, Long::sum);
            addBytes(siteBytes.computeIfAbsent(site, k -> new long[4]), b);
        }
    }

    Map<String, Long> total() {
        return total;
    }

    long agents() {
        return sum(total);
    }

    Map<String, Long> wave(long waveId) {
        return byWave.getOrDefault(waveId, emptyCounts());
    }

    BytesBySource bytes() {
        return bytes(bytes);
    }

    /** @param releaseSize the release's payload bytes, null if unknown: the ratios are then null */
    List<RolloutView.SiteStatus> sites(Long releaseSize) {
        List<RolloutView.SiteStatus> out = new ArrayList<>();
        bySite.forEach((site, counts) -> {
            BytesBySource b = bytes(siteBytes.get(site));
            out.add(new RolloutView.SiteStatus(site, sum(counts), counts, b, TransferRatios.wan(b, releaseSize),
                    TransferRatios.origin(b, releaseSize)));
        });
        if (anyOnNoSite) {
            // Agents on no site have no LAN to share: "into the site" means nothing for them
            out.add(new RolloutView.SiteStatus(null, sum(noSite), noSite, bytes(noSiteBytes), null, null));
        }
        return out;
    }

    /** Agents whose deployment is not in a final state for {@code mode} yet, NOT_DEPLOYED included. */
    long remaining(RolloutMode mode) {
        Set<DeploymentState> done = done(mode);
        return total.entrySet().stream().filter(e -> e.getKey().equals(NOT_DEPLOYED)
                || !done.contains(DeploymentState.valueOf(e.getKey()))).mapToLong(Map.Entry::getValue).sum();
    }

    /**
     * Agents of the given waves whose deployment is in a final state for {@code mode} and was last
     * updated at or after {@code since}: agents report until their deployment ends, so its last
     * update is when it got there. Call inside a transaction.
     */
    static long doneSince(Collection<Long> waveIds, RolloutMode mode, Instant since) {
        if (waveIds.isEmpty()) {
            return 0;
        }
        return Rollout.getEntityManager().createQuery("select count(ra) from RolloutAgent ra join ra.deployment d"
                        + " where ra.wave.id in :waves and d.state in :done and d.updatedAt >= :since", Long.class)
                .setParameter("waves", waveIds).setParameter("done", done(mode)).setParameter("since", since)
                .getSingleResult();
    }

    /** Final for a rollout: as its waves count success and failure (see {@link RolloutEngine#progress}), or cancelled. */
    static Set<DeploymentState> done(RolloutMode mode) {
        Set<DeploymentState> done = EnumSet.of(DeploymentState.INSTALLED, DeploymentState.FAILED,
                DeploymentState.CANCELLED);
        if (mode == RolloutMode.DOWNLOAD_ONLY) {
            done.add(DeploymentState.DOWNLOADED);
            done.add(DeploymentState.INSTALLING);
        }
        return done;
    }

    /** Every state, zeros included, in the table's order, so that clients need not guess missing keys. */
    static Map<String, Long> emptyCounts() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (DeploymentState s : DeploymentState.values()) {
            m.put(s.name(), 0L);
        }
        m.put(NOT_DEPLOYED, 0L);
        return m;
    }

    private static String key(Object state) {
        return state == null ? NOT_DEPLOYED : ((DeploymentState) state).name();
    }

    private static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private static void addBytes(long[] into, long[] b) {
        for (int i = 0; i < into.length; i++) {
            into[i] += b[i];
        }
    }

    private static BytesBySource bytes(long[] b) {
        return new BytesBySource(b[0], b[1], b[2], b[3]);
    }
}
