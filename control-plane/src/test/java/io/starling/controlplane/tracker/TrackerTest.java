package io.starling.controlplane.tracker;

import static io.restassured.RestAssured.given;
import static io.starling.controlplane.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.starling.controlplane.testing.Api;
import io.starling.controlplane.testing.Tokens;
import io.starling.protocol.bencode.Bencode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The tracker over HTTP, as BitTorrent clients call it. */
@QuarkusTest
class TrackerTest {

    @jakarta.inject.Inject
    io.starling.controlplane.seed.OriginSeeder seeder;

    private String product;
    private byte[] v1;
    private byte[] v2;
    private String passkey;

    @BeforeEach
    void publish() {
        product = Api.newProduct("tracked");
        Api.newRelease(product, "1.0");
        Api.upload(product, "1.0", "app.bin", Api.bytes(100_000));
        Api.publish(product, "1.0");
        v1 = HexFormat.of().parseHex(as(Tokens.viewer()).get("/api/v1/products/{p}/releases/1.0", product)
                .then().extract().<String>path("artifacts[0].infoHashV1"));
        v2 = HexFormat.of().parseHex(as(Tokens.viewer()).get("/api/v1/products/{p}/releases/1.0", product)
                .then().extract().<String>path("artifacts[0].infoHashV2"));
        passkey = newPasskey(null);
    }

    @Test
    void aLeecherIsAdmittedAndToldWhenToComeBack() {
        Map<String, Object> answer = announce(passkey, query(v1, "peer-one", 50001, 100_000, "started"));
        assertThat(answer).doesNotContainKey("failure reason");
        assertThat(answer.get("interval")).isEqualTo(60L);
        assertThat(answer.get("min interval")).isEqualTo(30L);
        assertThat(answer.get("incomplete")).isEqualTo(1L);
    }

    @Test
    void peersLearnOfEachOtherInCompactForm() {
        announce(passkey, query(v1, "peer-one", 50001, 100_000, "started"));
        Map<String, Object> answer = announce(passkey, query(v1, "peer-two", 50002, 100_000, "started"));
        byte[] peers = (byte[]) answer.get("peers");
        assertThat(peers.length % 6).isZero();
        assertThat(ports(peers)).contains(50001).doesNotContain(50002);
        assertThat(Arrays.copyOfRange(peers, 0, 4)).containsExactly(127, 0, 0, 1);
    }

    @Test
    void theTruncatedV2InfoHashJoinsTheSameSwarm() {
        announce(passkey, query(v1, "v1-peer", 50011, 100_000, "started"));
        Map<String, Object> answer = announce(passkey, query(Arrays.copyOf(v2, 20), "v2-peer", 50012, 100_000, "started"));
        assertThat(ports((byte[]) answer.get("peers"))).contains(50011);
    }

    @Test
    void compactZeroGivesADictionaryList() {
        announce(passkey, query(v1, "peer-one", 50001, 100_000, "started"));
        Map<String, Object> answer = announce(passkey, query(v1, "peer-two", 50002, 100_000, "started") + "&compact=0");
        assertThat(answer.get("peers")).isInstanceOf(java.util.List.class);
    }

    @Test
    void aHugeNumwantIsCutNotRefused() {
        Map<String, Object> answer = announce(passkey, query(v1, "greedy", 50003, 100_000, "started") + "&numwant=99999999");
        assertThat(answer).doesNotContainKey("failure reason");
    }

    @Test
    void scrapeReportsSeedsLeechersAndCompletedDownloads() {
        announce(passkey, query(v1, "seed", 50001, 0, "completed"));
        announce(passkey, query(v1, "leech", 50002, 500, "started"));
        @SuppressWarnings("unchecked")
        Map<String, Object> files = (Map<String, Object>) decode(given().urlEncodingEnabled(false)
                .get("/scrape/" + passkey + "?info_hash=" + pct(v1)).then().statusCode(200).extract().asByteArray())
                .get("files");
        @SuppressWarnings("unchecked")
        Map<String, Object> stats = (Map<String, Object>) files.values().iterator().next();
        assertThat(stats).containsEntry("complete", 1L).containsEntry("incomplete", 1L).containsEntry("downloaded", 1L);
    }

    @Test
    void nearestPeersComeFirstAndOnlyASitesGatewayReachesOtherSitesWhileItLacksACopy() {
        // Addresses no other test class uses: the test database is shared.
        ensureSite("tracker-berlin", "172.20.0.0/16");
        ensureSite("tracker-paris", "172.21.0.0/16");
        String berlin = newPasskey("tracker-berlin");
        String paris = newPasskey("tracker-paris");
        announce(berlin, query(v1, "berlin-seed", 51001, 0, "completed"));
        announce(berlin, query(v1, "berlin-leech", 51002, 500, "started"));
        announce(paris, query(v1, "paris-leech-1", 52001, 500, "started"));

        // Berlin holds a copy: a Berlin leecher hears only of Berlin, its seed first.
        byte[] berliners = (byte[]) announce(berlin, query(v1, "berlin-new", 51003, 500, "started")).get("peers");
        assertThat(ports(berliners)).containsExactly(51001, 51002);

        // Paris has none: only its gateway (its first leecher) reaches across, the others trade in Paris.
        byte[] parisians = (byte[]) announce(paris, query(v1, "paris-new", 52002, 500, "started")).get("peers");
        assertThat(ports(parisians)).containsExactly(52001);
        // The gateway: Paris first, then Berlin's seed, then Berlin's gateway, the origin last.
        byte[] gateway = (byte[]) announce(paris, query(v1, "paris-leech-1", 52001, 400, null)).get("peers");
        assertThat(ports(gateway)).containsExactly(52002, 51001, 51002,
                seeder.advertisedSslAddress().orElseThrow().getPort()); // an SSL torrent: the origin's TLS port
    }

    @Test
    void anOfficeOfManyDownloadersIsSuperSeededUntilASecondOfficeDownloadsToo() {
        ensureSite("tracker-madrid", "172.26.0.0/16");
        ensureSite("tracker-rome", "172.27.0.0/16");
        String madrid = newPasskey("tracker-madrid");
        String rome = newPasskey("tracker-rome");
        String ih = HexFormat.of().formatHex(v1);
        int origin = seeder.advertisedSslAddress().orElseThrow().getPort();
        for (int i = 1; i <= 7; i++) {
            announce(madrid, query(v1, "madrid-" + i, 53000 + i, 500, "started"));
        }
        assertThat(seeder.status(ih).orElseThrow().superSeeding()).as("7 downloaders").isFalse();
        assertThat(ports((byte[]) announce(madrid, query(v1, "madrid-7", 53007, 500, null)).get("peers")))
                .as("not the gateway").doesNotContain(origin);

        // The eighth: the origin now hands each of them different pieces, so every one of them may have it.
        byte[] eighth = (byte[]) announce(madrid, query(v1, "madrid-8", 53008, 500, "started")).get("peers");
        assertThat(ports(eighth)).contains(origin);
        // libtorrent takes the flag on its own thread.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(seeder.status(ih).orElseThrow().superSeeding()).as("8 downloaders in one office").isTrue());

        // Another office downloads: one copy per office matters more than a quicker office.
        byte[] roman = (byte[]) announce(rome, query(v1, "rome-1", 54001, 500, "started")).get("peers");
        assertThat(ports(roman)).as("Rome's gateway").contains(origin);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(seeder.status(ih).orElseThrow().superSeeding()).as("two offices").isFalse());
        assertThat(ports((byte[]) announce(madrid, query(v1, "madrid-6", 53006, 500, null)).get("peers")))
                .as("not the gateway").doesNotContain(origin);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing info_hash|peer_id=AAAAAAAAAAAAAAAAAAAA&port=6881&uploaded=0&downloaded=0&left=1|missing info_hash",
            "short info_hash|info_hash=%01%02%03&peer_id=AAAAAAAAAAAAAAAAAAAA&port=6881&uploaded=0&downloaded=0&left=1|info_hash must be 20 bytes",
            "missing peer_id|info_hash=HASH&port=6881&uploaded=0&downloaded=0&left=1|missing peer_id",
            "missing port|info_hash=HASH&peer_id=AAAAAAAAAAAAAAAAAAAA&uploaded=0&downloaded=0&left=1|missing port",
            "port zero|info_hash=HASH&peer_id=AAAAAAAAAAAAAAAAAAAA&port=0&uploaded=0&downloaded=0&left=1|port must be between",
            "port too big|info_hash=HASH&peer_id=AAAAAAAAAAAAAAAAAAAA&port=65536&uploaded=0&downloaded=0&left=1|port must be between",
            "port not a number|info_hash=HASH&peer_id=AAAAAAAAAAAAAAAAAAAA&port=abc&uploaded=0&downloaded=0&left=1|port must be",
            "negative left|info_hash=HASH&peer_id=AAAAAAAAAAAAAAAAAAAA&port=6881&uploaded=0&downloaded=0&left=-1|left must be",
            "missing left|info_hash=HASH&peer_id=AAAAAAAAAAAAAAAAAAAA&port=6881&uploaded=0&downloaded=0|missing left",
            "unknown event|info_hash=HASH&peer_id=AAAAAAAAAAAAAAAAAAAA&port=6881&uploaded=0&downloaded=0&left=1&event=paused|unknown event",
            "repeated info_hash|info_hash=HASH&info_hash=HASH&peer_id=AAAAAAAAAAAAAAAAAAAA&port=6881&uploaded=0&downloaded=0&left=1|more than once",
            "bad compact|info_hash=HASH&peer_id=AAAAAAAAAAAAAAAAAAAA&port=6881&uploaded=0&downloaded=0&left=1&compact=2|compact must be",
            "negative numwant|info_hash=HASH&peer_id=AAAAAAAAAAAAAAAAAAAA&port=6881&uploaded=0&downloaded=0&left=1&numwant=-5|numwant must be",
            "no query||missing info_hash"})
    void malformedAnnouncesGetABencodedFailureReason(String name, String rawQuery, String reason) {
        String q = rawQuery == null ? "" : rawQuery.replace("HASH", pct(v1));
        // A raw socket: HTTP client libraries refuse to send the malformed escapes that clients in the wild do.
        String response = rawHttpGet("/announce/" + passkey + (q.isEmpty() ? "" : "?" + q));
        assertThat(response).startsWith("HTTP/1.1 200");
        byte[] body = response.substring(response.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.ISO_8859_1);
        assertThat(failure(body)).contains(reason);
    }

    /**
     * Quarkus' HTTP layer refuses a query with a broken percent escape before any route runs, so
     * these get an empty 400 rather than a bencoded reason. Never a 500, never a stack trace.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"info_hash=%zz&port=1", "port=1&info_hash=%4"})
    void brokenPercentEscapesAreRefusedWithoutA500(String q) {
        String response = rawHttpGet("/announce/" + passkey + "?" + q);
        assertThat(response).startsWith("HTTP/1.1 400").doesNotContain("Exception");
    }

    @jakarta.inject.Inject
    SwarmStore store;

    @jakarta.inject.Inject
    io.agroal.api.AgroalDataSource db;

    @Test
    void aPeerAnotherReplicaAdmittedIsHandedOutHere() throws Exception {
        announce(passkey, query(v1, "local-peer", 53001, 100, "started"));
        String insert = "insert into tracker_peer (info_hash_v1, passkey_id, peer_id, ip, port, uploaded, downloaded,"
                + " left_bytes, site, last_seen, counted_complete) values (?, 424242, ?, ?, 53999, 0, 0, 0, '', now(), true)";
        try (java.sql.Connection c = db.getConnection(); java.sql.PreparedStatement s = c.prepareStatement(insert)) {
            s.setString(1, HexFormat.of().formatHex(v1));
            s.setBytes(2, SwarmTest.peerId("replica-b-peer"));
            s.setBytes(3, new byte[] {127, 0, 0, 1});
            s.executeUpdate();
        }
        // The scheduled sync (every 5 s) may have merged it already; either way it is merged now.
        store.sync();
        byte[] peers = (byte[]) announce(passkey, query(v1, "asker", 53002, 100, "started")).get("peers");
        assertThat(ports(peers)).contains(53999, 53001);
    }

    @Test
    void anUnknownPasskeyIsRefused() {
        assertThat(failure(raw("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", query(v1, "x", 6881, 1, "started"))))
                .isEqualTo("unknown passkey");
    }

    @Test
    void aRevokedPasskeyIsRefusedAtOnce() {
        announce(passkey, query(v1, "x", 6881, 1, "started"));
        as(Tokens.admin()).post("/api/v1/passkeys/{k}/revoke", passkey).then().statusCode(200);
        assertThat(failure(raw(passkey, query(v1, "x", 6881, 1, null)))).isEqualTo("this passkey has been revoked");
    }

    @Test
    void anUnpublishedOrRevokedTorrentIsNotTracked() {
        byte[] unknown = new byte[20];
        unknown[0] = 7;
        assertThat(failure(raw(passkey, query(unknown, "x", 6881, 1, "started")))).contains("not published");
        as(Tokens.admin()).post("/api/v1/products/{p}/releases/1.0/revoke", product).then().statusCode(200);
        assertThat(failure(raw(passkey, query(v1, "x", 6881, 1, "started")))).contains("not published");
    }

    @Test
    void aFullScrapeIsRefused() {
        assertThat(failure(given().get("/scrape/" + passkey).then().statusCode(200).extract().asByteArray()))
                .contains("info_hash");
    }

    static String rawHttpGet(String target) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aPasskeyForAnUnknownSiteIsRefused() {
        as(Tokens.admin()).contentType("application/json").body(Map.of("owner", "x", "site", "atlantis"))
                .post("/api/v1/passkeys").then().statusCode(400);
    }

    private static void ensureSite(String name, String cidr) {
        int status = as(Tokens.admin()).get("/api/v1/sites/{s}", name).then().extract().statusCode();
        if (status == 404) {
            as(Tokens.admin()).contentType("application/json").body(Map.of("name", name, "cidrs", java.util.List.of(cidr)))
                    .post("/api/v1/sites").then().statusCode(201);
        }
    }

    private String newPasskey(String site) {
        Map<String, Object> body = new HashMap<>();
        body.put("owner", "tracker-test");
        if (site != null) {
            body.put("site", site);
        }
        return as(Tokens.admin()).contentType("application/json").body(body).post("/api/v1/passkeys")
                .then().statusCode(201).extract().path("passkey");
    }

    static String query(byte[] infoHash, String peer, int port, long left, String event) {
        return "info_hash=" + pct(infoHash) + "&peer_id=" + pct(SwarmTest.peerId(peer)) + "&port=" + port
                + "&uploaded=0&downloaded=0&left=" + left + (event == null ? "" : "&event=" + event);
    }

    static byte[] raw(String passkey, String query) {
        return given().urlEncodingEnabled(false).get("/announce/" + passkey + "?" + query)
                .then().statusCode(200).extract().asByteArray();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> announce(String passkey, String query) {
        return decode(raw(passkey, query));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> decode(byte[] body) {
        return (Map<String, Object>) Bencode.decode(body);
    }

    static String failure(byte[] body) {
        Object reason = decode(body).get("failure reason");
        assertThat(reason).as(new String(body, StandardCharsets.ISO_8859_1)).isNotNull();
        return new String((byte[]) reason, StandardCharsets.UTF_8);
    }

    static String pct(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            b.append('%').append(String.format("%02X", x & 0xff));
        }
        return b.toString();
    }

    static java.util.List<Integer> ports(byte[] compact) {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        for (int i = 0; i + 6 <= compact.length; i += 6) {
            out.add(((compact[i + 4] & 0xff) << 8) | (compact[i + 5] & 0xff));
        }
        return out;
    }
}
