package io.starling.controlplane.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.controlplane.rollout.WaveSplit.Member;
import io.starling.controlplane.rollout.WaveSplit.Rule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WaveSplitTest {

    private static List<Member> fleet(int n) {
        return IntStream.range(0, n).mapToObj(i -> new Member(new UUID(0x1234L, i), i % 2 == 0 ? "berlin" : "paris",
                i % 3 == 0 ? Set.of("canary") : Set.of())).toList();
    }

    private static List<Integer> sizes(List<List<Member>> waves) {
        return waves.stream().map(List::size).toList();
    }

    private static void assertEveryAgentInExactlyOneWave(List<Member> fleet, List<List<Member>> waves) {
        List<Member> all = waves.stream().flatMap(List::stream).toList();
        assertThat(all).hasSameSizeAs(fleet).containsExactlyInAnyOrderElementsOf(fleet);
    }

    @Test
    void theSameTargetSplitsTheSameWayWhateverOrderItArrivesIn() {
        List<Member> fleet = fleet(200);
        List<Rule> rules = List.of(Rule.percent(5), Rule.percent(30), Rule.percent(100));
        List<Member> shuffled = new ArrayList<>(fleet);
        Collections.shuffle(shuffled, new java.util.Random(7));

        assertThat(WaveSplit.split(shuffled, rules)).isEqualTo(WaveSplit.split(fleet, rules));
    }

    @Test
    void percentWavesTakeTheirShareOfTheWholeTargetAndTheLastWaveTakesTheRest() {
        List<Member> fleet = fleet(200);
        List<List<Member>> waves = WaveSplit.split(fleet, List.of(Rule.percent(5), Rule.percent(30), Rule.percent(10)));

        assertThat(sizes(waves)).containsExactly(10, 60, 130);
        assertEveryAgentInExactlyOneWave(fleet, waves);
    }

    @Test
    void aSmallPercentOfASmallFleetIsStillOneAgent() {
        List<Member> fleet = fleet(3);
        assertThat(sizes(WaveSplit.split(fleet, List.of(Rule.percent(1), Rule.percent(100))))).containsExactly(1, 2);
    }

    @Test
    void zeroPercentIsAnEmptyWaveAndAHundredPercentLeavesNothingForLaterWaves() {
        List<Member> fleet = fleet(10);
        assertThat(sizes(WaveSplit.split(fleet, List.of(Rule.percent(0), Rule.percent(100), Rule.percent(50)))))
                .containsExactly(0, 10, 0);
    }

    @Test
    void percentsThatAddUpToMoreThanTheTargetRunOutInsteadOfRepeatingAgents() {
        List<Member> fleet = fleet(10);
        List<List<Member>> waves = WaveSplit.split(fleet, List.of(Rule.percent(60), Rule.percent(60), Rule.percent(1)));
        assertThat(sizes(waves)).containsExactly(6, 4, 0);
        assertEveryAgentInExactlyOneWave(fleet, waves);
    }

    @Test
    void explicitWavesTakeTheirMatchesAndLaterWavesNeverSeeThemAgain() {
        List<Member> fleet = fleet(12);
        UUID first = fleet.get(1).id();
        List<List<Member>> waves = WaveSplit.split(fleet, List.of(
                new Rule(null, null, null, List.of(first)),
                new Rule(null, null, List.of("canary"), null),
                new Rule(null, List.of("berlin"), null, null),
                Rule.percent(0)));

        assertThat(waves.get(0)).extracting(Member::id).containsExactly(first);
        assertThat(waves.get(1)).allMatch(m -> m.labels().contains("canary")).hasSize(4);
        assertThat(waves.get(2)).allMatch(m -> m.site().equals("berlin") && !m.labels().contains("canary"));
        assertThat(waves.get(3)).allMatch(m -> m.site().equals("paris") && !m.labels().contains("canary")
                && !m.id().equals(first));
        assertEveryAgentInExactlyOneWave(fleet, waves);
    }

    @Test
    void aWaveOfOneAgentThenTheRest() {
        List<Member> fleet = fleet(3);
        List<List<Member>> waves = WaveSplit.split(fleet,
                List.of(new Rule(null, null, null, List.of(fleet.get(2).id())), Rule.percent(100)));
        assertThat(waves.get(0)).containsExactly(fleet.get(2));
        assertThat(waves.get(1)).containsExactlyInAnyOrder(fleet.get(0), fleet.get(1));
    }

    @Test
    void aSingleAgentTargetLandsInTheFirstWaveThatTakesAnyone() {
        List<Member> fleet = fleet(1);
        assertThat(sizes(WaveSplit.split(fleet, List.of(Rule.percent(50), Rule.percent(50))))).containsExactly(1, 0);
    }

    @Test
    void percentWavesPickByHashNotByEnrolmentOrder() {
        List<Member> fleet = fleet(100);
        List<Member> firstTen = WaveSplit.split(fleet, List.of(Rule.percent(10), Rule.percent(100))).get(0);
        assertThat(new HashSet<>(firstTen)).isNotEqualTo(new HashSet<>(fleet.subList(0, 10)));
    }
}
