package io.starling.controlplane.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Nearest-first peer lists and the cross-site rule, on a swarm without HTTP. */
class SwarmTest {

    private static final PeerAddress ORIGIN = new PeerAddress(new byte[] {10, 0, 0, 1}, 6881, null);
    private static final long STALL = 60_000;
    private long now = 1_000_000;
    private final Swarm swarm = new Swarm(new TrackedTorrent("p", "1", "f", new byte[20], new byte[32]));
    private final PeerSelector k1 = new PeerSelector(1, STALL, ORIGIN);
    private final PeerSelector oneGateway = new PeerSelector(1, STALL, 1, ORIGIN);

    @Test
    void onlyTheFirstLeecherOfASiteHearsOfOtherSitesAndTheOriginTheOthersTradeOnTheirLan() {
        assertThat(ports(announce(oneGateway, "a1", "a", 100, 1))).containsExactly(6881);
        assertThat(ports(announce(oneGateway, "a2", "a", 100, 2))).as("not a gateway").containsExactly(1);
        assertThat(ports(announce(oneGateway, "b1", "b", 100, 3))).as("site b's gateway: site a's gateway, the origin")
                .containsExactly(1, 6881);
        assertThat(ports(announce(oneGateway, "b2", "b", 100, 4))).containsExactly(3);
        assertThat(ports(announce(oneGateway, "a2", "a", 100, 2))).containsExactly(1);
    }

    @Test
    void whileTheOriginSuperSeedsEveryLeecherGetsItButOnlyGatewaysHearOfOtherSites() {
        PeerSelector superSeeding = new PeerSelector(1, STALL, 1, () -> List.of(ORIGIN), new SuperSeedingPolicy(() -> true, 0));
        assertThat(ports(announce(superSeeding, "a1", "a", 100, 1))).containsExactly(6881);
        assertThat(ports(announce(superSeeding, "a2", "a", 100, 2))).as("not a gateway, still the origin")
                .containsExactly(1, 6881);
        assertThat(ports(announce(superSeeding, "b1", "b", 100, 3))).as("site b's gateway").containsExactly(1, 6881);
        assertThat(ports(announce(superSeeding, "b2", "b", 100, 4))).as("no other site's peers")
                .containsExactly(3, 6881);
        announce(superSeeding, "seed-b", "b", 0, 5);
        assertThat(ports(announce(superSeeding, "b2", "b", 100, 4))).as("site b has a copy now").containsExactly(5, 3);
    }

    @Test
    void aGatewayThatLeavesHandsItsSlotToTheNextLeecherToAnnounce() {
        announce(oneGateway, "a1", "a", 100, 1);
        assertThat(ports(announce(oneGateway, "a2", "a", 100, 2))).doesNotContain(6881);
        swarm.announce(request("a1", 100, AnnounceRequest.Event.STOPPED, 1, 0, 50), 1, "a", now, oneGateway);
        assertThat(ports(announce(oneGateway, "a2", "a", 100, 2))).containsExactly(6881);
    }

    @Test
    void anAgentKilledAndStartedAgainTakesOverItsOldEntryAndItsSitesGatewaySlot() {
        announce(oneGateway, "a1", "a", 100, 1);
        announce(oneGateway, "a2", "a", 100, 2);
        // a1 dies without a word (SIGKILL) and comes back on the same address and port, under a new peer id.
        assertThat(ports(announce(oneGateway, "a1-again", "a", 60, 1))).as("a1's gateway slot, not a dead a1")
                .containsExactly(2, 6881);
        assertThat(ports(announce(oneGateway, "a2", "a", 100, 2))).as("a1 is listed once").containsExactly(1);
        assertThat(swarm.stats().leechers()).isEqualTo(2);
        // Another port on the same machine is another client.
        announce(oneGateway, "a3", "a", 100, 3);
        assertThat(swarm.stats().leechers()).isEqualTo(3);
    }

    @Test
    void aSeedElsewhereIsOfferedOnlyTheGatewaysOfASiteThatLacksACopy() {
        announce(oneGateway, "a1", "a", 100, 1);
        announce(oneGateway, "a2", "a", 100, 2);
        announce(oneGateway, "a3", "a", 100, 3);
        assertThat(ports(announce(oneGateway, "seed-b", "b", 0, 4))).containsExactly(1);
    }

    @Test
    void whenASiteStallsEveryLeecherThereMayReachAcrossNotOnlyItsGateways() {
        announce(oneGateway, "a1", "a", 100, 1);
        announce(oneGateway, "a2", "a", 100, 2);
        announce(oneGateway, "seed-b", "b", 0, 3);
        now += STALL + 1; // the gateway died without a word; nobody at site a moves
        assertThat(ports(announce(oneGateway, "a2", "a", 100, 2))).containsExactly(1, 3, 6881);
    }

    @Test
    void aLeecherHearsOfItsOwnSitesSeedsFirstThenItsLeechersAndNothingElseOnceItsSiteHasACopy() {
        announce("seed-a", "a", 0, 1);
        announce("leech-a1", "a", 100, 2);
        announce("seed-b", "b", 0, 3);
        List<PeerAddress> peers = announce("leech-a2", "a", 100, 4).peers();
        assertThat(ports(peers)).containsExactly(1, 2);
    }

    @Test
    void aSiteWithoutACompleteCopyReachesOtherSitesSeedsFirstAndTheOriginLast() {
        announce("seed-a", "a", 0, 1);
        announce("leech-a", "a", 100, 2);
        announce("leech-b1", "b", 100, 3);
        List<PeerAddress> peers = announce("leech-b2", "b", 100, 4).peers();
        assertThat(ports(peers)).containsExactly(3, 1, 2, 6881);
    }

    @Test
    void theOriginIsOfferedOnlyWhileTheSiteLacksACopy() {
        assertThat(ports(announce("first", "a", 100, 1).peers())).containsExactly(6881);
        announce("seed", "a", 0, 2);
        assertThat(ports(announce("second", "a", 100, 3).peers())).doesNotContain(6881);
    }

    @Test
    void aStalledSiteMayReachAcrossEvenWithASeed() {
        announce("seed-a", "a", 0, 1);
        announce("leech-a", "a", 100, 2);
        announce("seed-b", "b", 0, 3);
        now += STALL + 1; // nobody at site a reported progress since
        announce("seed-a", "a", 0, 1);
        List<PeerAddress> peers = announce("leech-a", "a", 100, 2).peers();
        assertThat(ports(peers)).containsExactly(1, 3, 6881);
    }

    @Test
    void progressKeepsASiteFromCountingAsStalled() {
        announce("seed-a", "a", 0, 1);
        announce("leech-a", "a", 100, 2, 0);
        announce("seed-b", "b", 0, 3);
        now += STALL + 1;
        announce("leech-a", "a", 50, 2, 50); // downloaded 50 more bytes: the site moves
        List<PeerAddress> peers = announce("leech-a", "a", 40, 2, 60).peers();
        assertThat(ports(peers)).containsExactly(1);
    }

    @Test
    void aSeedIsOfferedLeechersOfItsSiteAndOfSitesThatLackACopy() {
        announce("leech-a", "a", 100, 1);
        announce("seed-b", "b", 0, 2);
        announce("leech-b", "b", 100, 3);
        announce("seed-c", "c", 0, 4);
        announce("leech-c", "c", 100, 5);
        List<PeerAddress> peers = announce("seed-c", "c", 0, 4).peers();
        assertThat(ports(peers)).containsExactly(5, 1);
    }

    @Test
    void numwantBoundsTheList() {
        for (int i = 0; i < 30; i++) {
            announce("peer-" + i, "a", 100, 1000 + i);
        }
        assertThat(swarm.announce(request("asker", 100, AnnounceRequest.Event.NONE, 2000, 0, 10), 1, "a", now, k1)
                .peers()).hasSize(10).doesNotContain((PeerAddress) null);
    }

    @Test
    void completedIsCountedOncePerPeerWhenALeecherBecomesASeed() {
        announce("p", "a", 100, 1);
        announce("p", "a", 0, 1);
        announce("p", "a", 0, 1);
        assertThat(swarm.stats().completed()).isEqualTo(1);
        assertThat(swarm.stats().seeds()).isEqualTo(1);
        assertThat(swarm.stats().leechers()).isZero();
    }

    @Test
    void aStoppedPeerLeavesTheSwarm() {
        announce("p", "a", 100, 1);
        swarm.announce(request("p", 100, AnnounceRequest.Event.STOPPED, 1, 0, 50), 1, "a", now, k1);
        assertThat(swarm.stats().leechers()).isZero();
        assertThat(ports(announce("q", "a", 100, 2).peers())).containsExactly(6881);
    }

    @Test
    void peersThatStopAnnouncingExpire() {
        announce("old", "a", 100, 1);
        now += 200_000;
        announce("new", "a", 100, 2);
        assertThat(swarm.expire(now - 150_000)).isEqualTo(1);
        assertThat(swarm.stats().leechers()).isEqualTo(1);
    }

    @Test
    void reportedBytesAddUpAcrossAnnouncesAndSurviveAClientRestart() {
        announce("p", "a", 100, 1, 0, 0);
        announce("p", "a", 50, 1, 50, 10);
        announce("p", "a", 30, 1, 70, 30);
        announce("p", "a", 30, 1, 5, 5); // the client restarted: its counters began again
        assertThat(swarm.stats().reportedDownloaded()).isEqualTo(75);
        assertThat(swarm.stats().reportedUploaded()).isEqualTo(35);
    }

    @Test
    void aPeerNeverHearsOfItself() {
        announce("a1", "a", 100, 1);
        assertThat(ports(announce("a1", "a", 100, 1).peers())).doesNotContain(1);
    }

    @Test
    void restoredPeersAreOfferedAgain() {
        announce("seed", "a", 0, 1);
        List<Swarm.PeerRow> rows = swarm.drainDirty().values().stream().toList();
        Swarm restarted = new Swarm(swarm.torrent);
        restarted.restore(rows, new Swarm.Counters(1, 0, 0), now);
        assertThat(restarted.stats().seeds()).isEqualTo(1);
        assertThat(ports(restarted.announce(request("x", 100, AnnounceRequest.Event.NONE, 2, 0, 50), 1, "a", now, k1)
                .peers())).containsExactly(1);
    }

    @Test
    void aPeerTheSyncAlreadyReadBackIsCountedOnceAfterTheRestore() {
        announce("leecher", "a", 100, 1);
        List<Swarm.PeerRow> rows = swarm.drainDirty().values().stream().toList();
        Swarm restarted = new Swarm(swarm.torrent);
        restarted.merge(rows, now);
        restarted.restore(rows, Swarm.Counters.ZERO, now);
        assertThat(restarted.stats().leechers()).isEqualTo(1);
        assertThat(restarted.bySite().get("a")).containsExactly(0, 1);
    }

    @Test
    void peersAnotherReplicaSawJoinAndNewerNewsWins() {
        announce("mine", "a", 100, 1);
        Swarm other = new Swarm(swarm.torrent);
        other.announce(request("theirs", 0, AnnounceRequest.Event.NONE, 2, 0, 50), 1, "a", now + 10, k1);
        other.announce(request("mine", 0, AnnounceRequest.Event.NONE, 1, 100, 50), 1, "a", now + 10, k1);
        List<Swarm.PeerRow> rows = other.drainDirty().values().stream().toList();

        assertThat(swarm.merge(rows, now + 20)).isEqualTo(2);
        assertThat(swarm.stats().seeds()).as("both are seeds by the newer news").isEqualTo(2);
        assertThat(swarm.merge(rows, now + 30)).as("nothing newer the second time").isZero();
    }

    private List<PeerAddress> announce(PeerSelector selector, String id, String site, long left, int port) {
        AnnounceRequest r = new AnnounceRequest(new byte[20], peerId(id), new byte[] {127, 0, 0, 1}, port, 0, 0, left,
                AnnounceRequest.Event.NONE, 50, true);
        return swarm.announce(r, 1, site, now, selector).peers();
    }

    private Swarm.Result announce(String id, String site, long left, int port) {
        return announce(id, site, left, port, 0);
    }

    private Swarm.Result announce(String id, String site, long left, int port, long downloaded) {
        return announce(id, site, left, port, downloaded, 0);
    }

    private Swarm.Result announce(String id, String site, long left, int port, long downloaded, long uploaded) {
        AnnounceRequest r = new AnnounceRequest(new byte[20], peerId(id), new byte[] {127, 0, 0, 1}, port, uploaded,
                downloaded, left, AnnounceRequest.Event.NONE, 50, true);
        return swarm.announce(r, 1, site, now, k1);
    }

    private static AnnounceRequest request(String id, long left, AnnounceRequest.Event event, int port, long downloaded,
            int numwant) {
        return new AnnounceRequest(new byte[20], peerId(id), new byte[] {127, 0, 0, 1}, port, 0, downloaded, left, event,
                numwant, true);
    }

    static byte[] peerId(String id) {
        return Arrays.copyOf(id.getBytes(StandardCharsets.US_ASCII), 20);
    }

    private static List<Integer> ports(List<PeerAddress> peers) {
        return peers.stream().map(PeerAddress::port).toList();
    }
}
