package io.starling.controlplane.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When the origin super-seeds a swarm, from the leechers and seeds per site the tracker sees. */
class SuperSeedingPolicyTest {

    private final SuperSeedingPolicy policy = new SuperSeedingPolicy(() -> false, 8);

    @Test
    void oneOfficeOfEightDownloadersIsSuperSeededALoneDownloaderIsNot() {
        assertThat(policy.wants(sites(site("a", 8, 0)), false)).isTrue();
        assertThat(policy.wants(sites(site("a", 7, 0)), false)).isFalse();
        assertThat(policy.wants(sites(site("a", 1, 0)), false)).as("a lone downloader crawls when super-seeded")
                .isFalse();
        assertThat(policy.wants(sites(), false)).isFalse();
    }

    @Test
    void aSecondOfficeDownloadingEndsIt() {
        assertThat(policy.wants(sites(site("a", 20, 0), site("b", 1, 0)), true)).isFalse();
        assertThat(policy.wants(sites(site("a", 10, 0), site("b", 10, 0), site("c", 10, 0)), false)).isFalse();
    }

    @Test
    void officesThatHoldTheReleaseAlreadyDoNotCount() {
        assertThat(policy.wants(sites(site("a", 12, 0), site("b", 0, 30)), false)).isTrue();
    }

    @Test
    void onceOnItStaysOnUntilFewerThanHalfAreLeftSoItDoesNotFlap() {
        assertThat(policy.wants(sites(site("a", 7, 13)), true)).as("7 left of 20").isTrue();
        assertThat(policy.wants(sites(site("a", 4, 16)), true)).isTrue();
        assertThat(policy.wants(sites(site("a", 3, 17)), true)).as("the last few finish faster without it")
                .isFalse();
        assertThat(policy.wants(sites(site("a", 7, 13)), false)).as("off stays off below 8").isFalse();
    }

    @Test
    void zeroNeverTurnsItOnAndAlwaysAlwaysDoes() {
        assertThat(new SuperSeedingPolicy(() -> false, 0).wants(sites(site("a", 100, 0)), false)).isFalse();
        assertThat(new SuperSeedingPolicy(() -> true, 0).wants(sites(site("a", 1, 0), site("b", 1, 0)), false))
                .isTrue();
    }

    private static List<SiteGroup> sites(SiteGroup... groups) {
        return List.of(groups);
    }

    private static SiteGroup site(String name, int leechers, int seeds) {
        SiteGroup g = new SiteGroup(name, 0);
        List<Peer> peers = new ArrayList<>();
        for (int i = 0; i < leechers + seeds; i++) {
            Peer p = new Peer(name + i, SwarmTest.peerId(name + i), 1);
            peers.add(p);
        }
        for (int i = 0; i < peers.size(); i++) {
            (i < leechers ? g.leechers : g.seeds).add(peers.get(i));
        }
        return g;
    }
}
