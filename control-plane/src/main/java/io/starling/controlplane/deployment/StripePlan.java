package io.starling.controlplane.deployment;

import io.starling.protocol.agent.Stripe;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Which pieces each agent of one release's deployments should ask for first (see {@link Stripe}):
 * agents numbered within their site, sites numbered within the release, both in a fixed order
 * (site name, agent id) so that every replica hands out the same stripes. Agents on no site form
 * one site of their own.
 *
 * <p>Planned from the deployments, not from the tracker: an agent learns its deployment at a
 * check-in, before it has announced, when the tracker knows nothing of its site yet.
 */
final class StripePlan {

    /** One deployment of the release: its agent and the site that agent was last placed in. */
    record Target(UUID agent, String site) {
    }

    static final StripePlan NONE = new StripePlan(Map.of());

    private final Map<UUID, Stripe> byAgent;

    private StripePlan(Map<UUID, Stripe> byAgent) {
        this.byAgent = byAgent;
    }

    static StripePlan of(List<Target> targets) {
        Map<String, List<UUID>> bySite = new TreeMap<>(Comparator.nullsLast(Comparator.naturalOrder()));
        for (Target t : targets) {
            bySite.computeIfAbsent(t.site(), s -> new ArrayList<>()).add(Objects.requireNonNull(t.agent()));
        }
        Map<UUID, Stripe> out = new HashMap<>();
        int siteIndex = 0;
        for (List<UUID> agents : bySite.values()) {
            List<UUID> sorted = agents.stream().distinct().sorted().toList();
            for (int k = 0; k < sorted.size(); k++) {
                out.put(sorted.get(k), new Stripe(k, sorted.size(), siteIndex, bySite.size()));
            }
            siteIndex++;
        }
        return new StripePlan(Map.copyOf(out));
    }

    /** The agent's stripe, or null when the plan does not know it (a deployment made since). */
    Stripe of(UUID agent) {
        return byAgent.get(agent);
    }

    boolean knows(UUID agent) {
        return byAgent.containsKey(agent);
    }
}
