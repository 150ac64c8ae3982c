package io.starling.protocol.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.protocol.bencode.Bencode;
import io.starling.protocol.testing.TestBytes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Starling's hybrid torrents must be the ones libtorrent makes of the same bytes.
 *
 * <p>The expected values come from libtorrent 2.0.8 (Debian's python3-libtorrent):
 * {@code /usr/bin/python3 protocol/src/test/python/reference_torrents.py} creates each file
 * (byte i = (i * 31 + 7) % 251, named {@code <case>.bin}) and a private hybrid torrent of it with
 * {@code lt.create_torrent(fs, pieceLength)}, and prints these lines. Equal info-hashes mean
 * byte-identical info dictionaries; the layer digest covers the {@code piece layers} value, which
 * lives outside the info dictionary. {@link LibtorrentInteropTest} repeats the comparison live
 * and has libtorrent check the data against our .torrent, when python3-libtorrent is installed.
 */
class HybridTorrentTest {

    record Case(String name, int size, int pieceLength, String v1, String v2, String layerSha256) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Case> CASES = List.of(
            new Case("one-byte", 1, 262144, "d335719cdd03a7927e7a9adc9721a866e9ba3873", "3b422a5f4cc647f36363efc3f0f2140b08387dde3e82a6382f79b523f864ab5f", ""),
            new Case("block-minus-one", 16383, 262144, "a028795449a406a0bbb8a48a8564dad0e5f192e6", "f6b2020bc01962e690998000e45398142da2acced7232eae8216fcbdf362c7c4", ""),
            new Case("one-block", 16384, 262144, "a1c4a7199ebb53d052e12c2c957e278e5e791d1d", "0e0d5837636eef1db57440e9705d0cee72703a29c81491796be25b2490dc4db1", ""),
            new Case("block-plus-one", 16385, 262144, "2de08313b621dd65d846732db74bbe8d6fb32f29", "acc93d031e4deb38d151befee5dec7e453f64f8fb1af65eb545c782f1a0ed768", ""),
            new Case("one-piece", 262144, 262144, "5f8d8894771e40cb60ef67547272242afcdaab94", "4051e5f360cf4450a09f9520fb1525749d341e1c6fe38a08905d5acc253657ed", ""),
            new Case("piece-plus-one", 262145, 262144, "ca5aaba40d4497aba10e834679b6fcc76fb58d62", "d8810be0ab56ac93ba9d303dc03cc55d2323932035a1973f88004942f3372f78", "c8d106842cf151a97903cff8e2897b64af197db45d926485bfeacf9aa72f5e46"),
            new Case("five-and-a-half-pieces", 1441792, 262144, "8332709b54c42249b42ad0192b05b3602ff833d3", "143fe528572eccfef9395f7cbf737d89460b48835031e9420ef3735bfe23a826", "328ce8760555b55e9f6df797c6797c70edbb91a1b79e82669f3abdbdc03f6f4f"),
            new Case("thirty-three-pieces-and-100", 8650852, 262144, "9fe98605a67b0b830a1e894e5794b6cdf744ce7a", "56f35b0ca05a2b12611dbb0df1ba3d12f9b91460da3a1b32971911ecca4633fa", "69db997fca20fde3ebba3624c6e2fe2a763c660ba018177dea22e003e98f4e3c"),
            new Case("one-block-pieces", 540772, 16384, "f50f460b39afd97401bd6a9fa202c80de6bd7e56", "b30808aa49ac478b5af3a85302b34d99d437c19c6ed4def7fdb1633a8eeeb5fc", "2d1989a70e2e72c4d39b0088cbb825eac18f11aeeb68eab838024e0b6fed0efc"),
            new Case("two-block-pieces", 180225, 32768, "baa51425fe99efa610abc43f1d88e6c249eacd75", "1d538f8619fc2e487b49d6e6f927a96b374ff0914b70644bc6886b034eb69e9c", "4f802470995aa7b25d3d2578a25e586f19db355f944a1bfcf965db345500361a"),
            new Case("mebibyte-pieces", 3407872, 1048576, "0723de5d76d02949bb1ccff4c8e4a3a5ba18eb7c", "e55b2ffcda76a5d63a867961b72fcefb21328128315e7c0e2e11c6dd91d95569", "87ab414f697a8ee07c27e765edb079b58f0ef149dbe09830a409d0143c83f79e"));

    private static final ExecutorService POOL = Executors.newFixedThreadPool(2);

    @AfterAll
    static void stopPool() {
        POOL.shutdownNow();
    }

    static Stream<Case> cases() {
        return CASES.stream();
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void infoHashesEqualLibtorrents(Case c) {
        HashResult h = ChunkedHash.of(TestBytes.pattern(c.size()), c.pieceLength(), POOL, 3);
        byte[] info = TorrentMetainfo.infoDict(c.name() + ".bin", h);

        assertThat(hex(TorrentMetainfo.v1InfoHash(info))).isEqualTo(c.v1());
        assertThat(hex(TorrentMetainfo.v2InfoHash(info))).isEqualTo(c.v2());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void pieceLayerEqualsLibtorrents(Case c) throws Exception {
        HashResult h = ChunkedHash.of(TestBytes.pattern(c.size()), c.pieceLength());
        String layerSha256 = h.v2PieceLayer().length == 0 ? ""
                : hex(MessageDigest.getInstance("SHA-256").digest(h.v2PieceLayer()));

        assertThat(layerSha256).isEqualTo(c.layerSha256());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void hashesDoNotDependOnTheExecutorOrTheNumberOfBuffers(Case c) {
        byte[] data = TestBytes.pattern(c.size());
        assertThat(ChunkedHash.of(data, c.pieceLength(), POOL, 1))
                .isEqualTo(ChunkedHash.of(data, c.pieceLength(), Runnable::run, 1))
                .isEqualTo(ChunkedHash.of(data, c.pieceLength(), POOL, 8));
    }

    @Test
    void theChooserGivesTheReferencePieceLengthToEverySmallCase() {
        assertThat(CASES.stream().filter(c -> c.pieceLength() == 262144))
                .allSatisfy(c -> assertThat(PieceLength.choose(c.size())).isEqualTo(c.pieceLength()));
    }

    @Test
    void perAgentTorrentsEmbedTheSameInfoDictionaryByteForByte() {
        HashResult h = ChunkedHash.of(TestBytes.pattern(1_441_792), 262144);
        byte[] info = TorrentMetainfo.infoDict("app.zip", h);

        byte[] alice = TorrentMetainfo.torrent(info, h, "http://cp/announce/alice", List.of("http://cp/ws/alice"), "starling", 1);
        byte[] bob = TorrentMetainfo.torrent(info, h, "http://cp/announce/bob", null, null, 2);

        assertThat(alice).isNotEqualTo(bob);
        assertThat(indexOf(alice, info)).isPositive();
        assertThat(indexOf(bob, info)).isPositive();
    }

    @Test
    void torrentCarriesAnnounceWebSeedsAndPieceLayersKeyedByTheRawPiecesRoot() {
        HashResult h = ChunkedHash.of(TestBytes.pattern(1_441_792), 262144);
        byte[] info = TorrentMetainfo.infoDict("app.zip", h);

        Map<String, Object> torrent = dict(
                TorrentMetainfo.torrent(info, h, "http://cp/announce/p", List.of("http://cp/ws/a", "http://cp/ws/b"), "starling 0.1", 1_790_000_000L));

        assertThat(torrent.keySet()).containsExactly(
                "announce", "created by", "creation date", "info", "piece layers", "url-list");
        assertThat(Bencode.encode(torrent.get("info"))).isEqualTo(info);
        Map<?, ?> layers = (Map<?, ?>) torrent.get("piece layers");
        String rootKey = (String) layers.keySet().iterator().next();
        assertThat(Bencode.keyBytes(rootKey)).isEqualTo(h.v2PiecesRoot());
        assertThat((byte[]) layers.get(rootKey)).isEqualTo(h.v2PieceLayer());
        assertThat((List<?>) torrent.get("url-list")).hasSize(2);
    }

    @Test
    void aFileOfOnePieceHasNoPieceLayers() {
        HashResult h = ChunkedHash.of(TestBytes.pattern(262144), 262144);
        byte[] torrent = TorrentMetainfo.torrent(TorrentMetainfo.infoDict("a", h), h, "http://t", List.of(), null, 0);

        assertThat(dict(torrent).keySet()).doesNotContain("piece layers", "url-list");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dict(byte[] bencoded) {
        return (Map<String, Object>) Bencode.decode(bencoded);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
