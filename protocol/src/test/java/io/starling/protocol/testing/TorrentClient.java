package io.starling.protocol.testing;

import io.starling.protocol.bencode.Bencode;
import io.starling.protocol.torrent.ResumeFiles;
import io.starling.protocol.torrent.TorrentSession;
import io.starling.protocol.torrent.TorrentSession.ResumeWrites;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.libtorrent4j.AlertListener;
import org.libtorrent4j.SettingsPack;
import org.libtorrent4j.TcpEndpoint;
import org.libtorrent4j.TorrentFlags;
import org.libtorrent4j.TorrentInfo;
import org.libtorrent4j.TorrentStatus;
import org.libtorrent4j.alerts.Alert;
import org.libtorrent4j.alerts.AlertType;
import org.libtorrent4j.alerts.BlockFinishedAlert;
import org.libtorrent4j.swig.add_torrent_params;
import org.libtorrent4j.swig.address;
import org.libtorrent4j.swig.error_code;
import org.libtorrent4j.swig.settings_pack;
import org.libtorrent4j.swig.tcp_endpoint;
import org.libtorrent4j.swig.torrent_handle;

/**
 * A real BitTorrent client for tests: a {@link TorrentSession} on loopback, set up as the origin
 * seeder's and the agent's are (POSIX disk I/O, no DHT/LSD/UPnP/NAT-PMP), downloading into its own
 * temporary folder, which {@link #close()} removes. It keeps no resume data: each test starts
 * from nothing.
 *
 * <pre>{@code
 * try (TorrentClient client = TorrentClient.onLoopback()) {
 *     TorrentClient.Download d = client.add(torrentBytes, TorrentClient.Drop.WEB_SEEDS, TorrentClient.Drop.TRACKERS);
 *     d.connectPeer(seeder.advertisedAddress().orElseThrow());
 *     d.awaitCompletion(Duration.ofSeconds(20));
 *     assertThat(d.sha256()).isEqualTo(expected);
 * }
 * }</pre>
 */
public final class TorrentClient implements AutoCloseable {

    /** Parts of a .torrent to leave out, so that a test controls where the bytes come from. */
    public enum Drop {
        /** {@code url-list} and {@code httpseeds} (BEP 19, BEP 17) */
        WEB_SEEDS,
        /** {@code announce} and {@code announce-list} */
        TRACKERS
    }

    private static final int BLOCK = 16 * 1024;
    /** block_finished comes with block_progress: it tells which source sent each block. */
    private static final int BLOCK_PROGRESS = org.libtorrent4j.swig.alert.block_progress_notification.to_int();

    private final Path dir;
    private final Map<String, Download> downloads = new ConcurrentHashMap<>();
    private TorrentSession session;

    private TorrentClient(Path dir) {
        this.dir = dir;
    }

    /** Starts the client and returns once it listens on a free loopback port. */
    public static TorrentClient onLoopback() {
        TorrentClient client;
        try {
            client = new TorrentClient(Files.createTempDirectory("starling-torrent-client"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            SettingsPack settings = TorrentSession.settings("127.0.0.1:0");
            settings.alertQueueSize(1_000_000); // one block_finished alert per 16 KiB must not be dropped
            // TCP only: uTP on loopback moved 15-19 MB/s here against 160-190 MB/s for TCP, and
            // costs CPU that a 2-core build machine does not have. The tests are about Starling.
            settings.setBoolean(settings_pack.bool_types.enable_outgoing_utp.swigValue(), false);
            ResumeWrites none = new ResumeWrites(ResumeFiles.open(client.dir.resolve("resume"), "the client starts over"),
                    Runnable::run, infoHash -> false);
            client.session = TorrentSession.start("Test client", settings, BLOCK_PROGRESS, client.new Listener(), none);
            return client;
        } catch (IOException | TimeoutException | RuntimeException e) {
            client.close();
            throw new IllegalStateException("the test client did not start", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw new IllegalStateException("interrupted while the test client started", e);
        }
    }

    /** Adds a torrent, as served by the API, minus what {@code drops} names; the download starts at once. */
    public Download add(byte[] torrent, Drop... drops) {
        Set<Drop> drop = drops.length == 0 ? EnumSet.noneOf(Drop.class) : EnumSet.of(drops[0], drops);
        @SuppressWarnings("unchecked")
        Map<String, Object> decoded = new LinkedHashMap<>((Map<String, Object>) Bencode.decode(torrent));
        List<String> webSeeds = urls(decoded.get("url-list"));
        if (drop.contains(Drop.WEB_SEEDS)) {
            decoded.remove("url-list");
            decoded.remove("httpseeds");
        }
        if (drop.contains(Drop.TRACKERS)) {
            decoded.remove("announce");
            decoded.remove("announce-list");
        }
        TorrentInfo ti = new TorrentInfo(Bencode.encode(rawKeys(decoded)));
        String infoHash = ti.infoHashes().getV1().toHex();
        Path save = dir.resolve(infoHash);
        Download d = new Download(infoHash, ti.name(), ti.totalSize(), ti.pieceLength(), save,
                drop.contains(Drop.WEB_SEEDS) ? List.of() : webSeeds);
        downloads.put(infoHash, d);

        add_torrent_params p = new add_torrent_params();
        p.set_ti(ti.swig());
        p.setSave_path(save.toString());
        p.setFlags(p.getFlags().and_(TorrentFlags.AUTO_MANAGED.inv()).and_(TorrentFlags.PAUSED.inv()));
        d.handle = session.add(p, "the torrent");
        return d;
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is not worth failing a test
        }
    }

    /**
     * Decoded keys are ISO-8859-1 strings, encoded keys UTF-8 (see {@link Bencode}): binary keys
     * such as the pieces roots in {@code piece layers} survive only as bytes.
     */
    private static Object rawKeys(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<byte[], Object> raw = new LinkedHashMap<>();
            map.forEach((k, v) -> raw.put(Bencode.keyBytes((String) k), rawKeys(v)));
            return raw;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(TorrentClient::rawKeys).toList();
        }
        return value;
    }

    private static List<String> urls(Object urlList) {
        if (urlList instanceof byte[] one) {
            return List.of(new String(one, StandardCharsets.UTF_8));
        }
        if (urlList instanceof List<?> many) {
            return many.stream().map(u -> new String((byte[]) u, StandardCharsets.UTF_8)).toList();
        }
        return List.of();
    }

    /** One torrent in this client. */
    public static final class Download {
        private final String infoHashV1;
        private final String name;
        private final long size;
        private final int pieceLength;
        private final Path saveDir;
        private final List<String> webSeeds;
        private final Set<String> webSeedEndpoints = ConcurrentHashMap.newKeySet();
        private final CountDownLatch finished = new CountDownLatch(1);
        private final AtomicLong fromPeers = new AtomicLong();
        private final AtomicLong fromWebSeeds = new AtomicLong();
        private final AtomicInteger hashFailures = new AtomicInteger();
        private final long addedNanos = System.nanoTime();
        private volatile long finishedNanos;
        private torrent_handle handle;

        private Download(String infoHashV1, String name, long size, int pieceLength, Path saveDir, List<String> webSeeds) {
            this.infoHashV1 = infoHashV1;
            this.name = name;
            this.size = size;
            this.pieceLength = pieceLength;
            this.saveDir = saveDir;
            this.webSeeds = webSeeds;
            for (String url : webSeeds) {
                URI u = URI.create(url);
                int port = u.getPort() > 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
                try {
                    for (InetAddress a : InetAddress.getAllByName(u.getHost())) {
                        webSeedEndpoints.add(a.getHostAddress() + ":" + port);
                    }
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException("web seed host does not resolve: " + url, e);
                }
            }
        }

        public String infoHashV1() {
            return infoHashV1;
        }

        /** The web seed URLs this download uses (none when dropped). */
        public List<String> webSeeds() {
            return webSeeds;
        }

        /** Connects to a peer directly: private torrents learn peers only from a tracker or from this. */
        public Download connectPeer(InetSocketAddress peer) {
            error_code ec = new error_code();
            address a = address.from_string(peer.getAddress().getHostAddress(), ec);
            if (ec.value() != 0) {
                throw new IllegalArgumentException("not an address: " + peer);
            }
            handle.connect_peer(new tcp_endpoint(a, peer.getPort()));
            return this;
        }

        /**
         * Waits until libtorrent has every piece, checked.
         *
         * @return the time from {@link TorrentClient#add} to completion
         * @throws AssertionError with the torrent's state when it does not complete in time
         */
        public Duration awaitCompletion(Duration timeout) throws InterruptedException {
            if (!finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("Download " + name + " did not complete within " + timeout + ": " + describe());
            }
            return Duration.ofNanos(finishedNanos - addedNanos);
        }

        public boolean isComplete() {
            return finished.getCount() == 0;
        }

        /** Bytes libtorrent has checked and kept so far. */
        public long bytesDone() {
            return new TorrentStatus(handle.status()).totalDone();
        }

        public long bytesFromPeers() {
            return fromPeers.get();
        }

        public long bytesFromWebSeeds() {
            return fromWebSeeds.get();
        }

        /** Pieces that failed their hash check here: a source sent bad bytes. */
        public int hashFailures() {
            return hashFailures.get();
        }

        public Path file() {
            return saveDir.resolve(name);
        }

        public String sha256() throws IOException {
            return Sha256.hex(file());
        }

        private String describe() {
            TorrentStatus st = new TorrentStatus(handle.status());
            return "state " + st.state() + ", " + st.totalDone() + "/" + size + " bytes, " + st.numPeers() + " peers, "
                    + fromPeers + " bytes from peers, " + fromWebSeeds + " from web seeds, " + hashFailures
                    + " hash failures" + (st.errorCode().isError() ? ", error " + st.errorCode().getMessage() : "");
        }

        private void blockFinished(String endpoint, int piece, int block) {
            long pieceSize = Math.min(pieceLength, size - (long) piece * pieceLength);
            long bytes = Math.min(BLOCK, pieceSize - (long) block * BLOCK);
            (webSeedEndpoints.contains(endpoint) ? fromWebSeeds : fromPeers).addAndGet(bytes);
        }
    }

    /**
     * Copies values out of alerts on libtorrent4j's alert thread and never blocks
     * (docs/platform-notes.md, "libtorrent4j: alert memory (crash 2)").
     */
    private final class Listener implements AlertListener {
        private final int[] types = {
            AlertType.BLOCK_FINISHED.swig(), AlertType.TORRENT_FINISHED.swig(), AlertType.HASH_FAILED.swig(),
        };

        @Override
        public int[] types() {
            return types;
        }

        @Override
        public void alert(Alert<?> alert) {
            Download d = downloads.get(TorrentSession.infoHash(alert));
            if (d == null) {
                return;
            }
            switch (alert.type()) {
                case BLOCK_FINISHED -> {
                    BlockFinishedAlert a = (BlockFinishedAlert) alert;
                    TcpEndpoint e = a.endpoint();
                    d.blockFinished(e.address().toString() + ":" + e.port(), a.pieceIndex(), a.blockIndex());
                }
                case TORRENT_FINISHED -> {
                    d.finishedNanos = System.nanoTime();
                    d.finished.countDown();
                }
                case HASH_FAILED -> d.hashFailures.incrementAndGet();
                default -> {
                }
            }
        }
    }

    /** The client's own downloads, for assertions that look at all of them. */
    public List<Download> downloads() {
        return new ArrayList<>(downloads.values());
    }
}
