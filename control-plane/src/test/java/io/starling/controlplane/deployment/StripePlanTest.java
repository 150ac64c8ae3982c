package io.starling.controlplane.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.protocol.agent.Stripe;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StripePlanTest {

    private static UUID agent(int n) {
        return new UUID(0, n);
    }

    @Test
    void everyAgentOfAnOfficeGetsItsOwnStripe() {
        List<StripePlan.Target> targets = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            targets.add(new StripePlan.Target(agent(i), "office"));
        }
        StripePlan plan = StripePlan.of(targets);
        Set<Integer> indexes = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            Stripe s = plan.of(agent(i));
            assertThat(s.valid()).isTrue();
            assertThat(s.count()).isEqualTo(20);
            assertThat(s.siteCount()).isEqualTo(1);
            indexes.add(s.index());
        }
        assertThat(indexes).hasSize(20);
    }

    @Test
    void officesAreNumberedBySiteNameAndAgentsWithinTheirOwnOffice() {
        StripePlan plan = StripePlan.of(List.of(new StripePlan.Target(agent(3), "b"),
                new StripePlan.Target(agent(1), "a"), new StripePlan.Target(agent(2), "b"),
                new StripePlan.Target(agent(9), null)));
        assertThat(plan.of(agent(1))).isEqualTo(new Stripe(0, 1, 0, 3));
        assertThat(plan.of(agent(2))).isEqualTo(new Stripe(0, 2, 1, 3));
        assertThat(plan.of(agent(3))).isEqualTo(new Stripe(1, 2, 1, 3));
        assertThat(plan.of(agent(9))).as("agents on no site form one office, last").isEqualTo(new Stripe(0, 1, 2, 3));
    }

    @Test
    void everyReplicaPlansTheSameWhateverOrderItReadTheDeploymentsIn() {
        List<StripePlan.Target> targets = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            targets.add(new StripePlan.Target(agent(i), "site-" + i % 3));
        }
        StripePlan first = StripePlan.of(targets);
        Collections.shuffle(targets);
        StripePlan second = StripePlan.of(targets);
        for (int i = 0; i < 30; i++) {
            assertThat(second.of(agent(i))).isEqualTo(first.of(agent(i)));
        }
    }

    @Test
    void anAgentTheDeploymentsDoNotNameHasNoStripe() {
        StripePlan plan = StripePlan.of(List.of(new StripePlan.Target(agent(1), "a")));
        assertThat(plan.of(agent(2))).isNull();
        assertThat(plan.knows(agent(2))).isFalse();
        assertThat(StripePlan.NONE.of(agent(1))).isNull();
    }

    @Test
    void theStripesOfAnOfficeCoverEveryPieceOnceAndTheOfficesSplitTheRelease() {
        List<StripePlan.Target> targets = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            targets.add(new StripePlan.Target(agent(i), i < 4 ? "a" : "b"));
        }
        StripePlan plan = StripePlan.of(targets);
        int pieces = 257;
        for (String site : List.of("a", "b")) {
            int[] owners = new int[pieces];
            int siteStripe = 0;
            for (StripePlan.Target t : targets) {
                if (!t.site().equals(site)) {
                    continue;
                }
                Stripe s = plan.of(t.agent());
                for (int p = 0; p < pieces; p++) {
                    owners[p] += s.isOwn(p) ? 1 : 0;
                    siteStripe += s.index() == 0 && s.inSiteStripe(p) ? 1 : 0;
                }
            }
            int owned = 0;
            for (int p = 0; p < pieces; p++) {
                assertThat(owners[p]).isLessThanOrEqualTo(1);
                owned += owners[p];
            }
            assertThat(owned).as("the office's agents own its stripe between them").isEqualTo(siteStripe);
            assertThat(siteStripe).isBetween(pieces / 2, pieces / 2 + 1);
        }
    }
}
