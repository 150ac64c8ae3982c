package io.starling.controlplane.rollout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Puts every targeted agent into exactly one wave. Waves are filled in order, each from the
 * agents no earlier wave took: an explicit wave takes those matching its sites, labels or ids; a
 * percent wave takes P % of the whole target (rounded up, so that a 1 % canary of a small fleet
 * is one agent, not none); the last wave takes the rest, whatever it asked for.
 *
 * <p>Percent waves pick agents in the order of a hash of their id, not at random and not by
 * enrolment: the same target splits the same way on every call (a retried request, a restarted
 * control plane), and the same machines lead every rollout to that target, so the canaries are
 * machines whose owners know they are canaries.
 */
final class WaveSplit {

    /** An agent as far as splitting cares. */
    record Member(UUID id, String site, Set<String> labels) {
    }

    /** One wave's rule: a percent, or selectors (any of the sites, all of the labels, any of the ids). */
    record Rule(Integer percent, Collection<String> sites, Collection<String> labels, Collection<UUID> agentIds) {

        static Rule percent(int p) {
            return new Rule(p, null, null, null);
        }

        boolean matches(Member m) {
            return (sites == null || sites.contains(m.site()))
                    && (labels == null || m.labels().containsAll(labels))
                    && (agentIds == null || agentIds.contains(m.id()));
        }
    }

    private WaveSplit() {
    }

    /** @return one list per rule, in the rules' order; together they hold every target exactly once */
    static List<List<Member>> split(Collection<Member> targets, List<Rule> rules) {
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("at least one wave");
        }
        List<Member> left = new ArrayList<>(targets);
        left.sort(Comparator.comparing((Member m) -> rank(m.id()), Long::compareUnsigned)
                .thenComparing(Member::id));
        int total = left.size();
        List<List<Member>> waves = new ArrayList<>(rules.size());
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            List<Member> wave;
            if (i == rules.size() - 1) {
                wave = List.copyOf(left);
            } else if (rule.percent() != null) {
                int size = (int) Math.min(left.size(), ceilPercent(rule.percent(), total));
                wave = List.copyOf(left.subList(0, size));
            } else {
                wave = left.stream().filter(rule::matches).toList();
            }
            left.removeAll(new LinkedHashSet<>(wave));
            waves.add(wave);
        }
        return waves;
    }

    private static long ceilPercent(int percent, int total) {
        return ((long) percent * total + 99) / 100;
    }

    /** The first 8 bytes of SHA-256 of the id's text: spread evenly, and the same on every JVM. */
    static long rank(UUID id) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(id.toString().getBytes(StandardCharsets.US_ASCII));
            long r = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                r = (r << 8) | (h[i] & 0xff);
            }
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
