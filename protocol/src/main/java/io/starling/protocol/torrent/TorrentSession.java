package io.starling.protocol.torrent;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.libtorrent4j.AddTorrentParams;
import org.libtorrent4j.AlertListener;
import org.libtorrent4j.SessionManager;
import org.libtorrent4j.SettingsPack;
import org.libtorrent4j.alerts.Alert;
import org.libtorrent4j.alerts.AlertType;
import org.libtorrent4j.alerts.ListenFailedAlert;
import org.libtorrent4j.alerts.ListenSucceededAlert;
import org.libtorrent4j.alerts.SaveResumeDataAlert;
import org.libtorrent4j.alerts.SocketType;
import org.libtorrent4j.alerts.TorrentAlert;
import org.libtorrent4j.swig.add_torrent_params;
import org.libtorrent4j.swig.error_code;
import org.libtorrent4j.swig.remove_flags_t;
import org.libtorrent4j.swig.settings_pack;
import org.libtorrent4j.swig.torrent_handle;

/**
 * One libtorrent session run the way every Starling session must run, shared by the origin
 * seeder and the agent's swarm: POSIX disk I/O (docs/platform-notes.md, "libtorrent4j: disk I/O
 * (crash 1)"), every address in the global peer class ("libtorrent4j: LAN peer class"), only the
 * alert categories its owner reads, a start that returns once the session listens, and resume
 * data written through {@link ResumeFiles} and saved for every torrent before a clean stop.
 *
 * <p>Threads. libtorrent4j calls listeners on one alert thread. This class copies resume data out
 * of its alert there ("libtorrent4j: alert memory (crash 2)": the alert's objects die with it)
 * and hands the file write to the owner's single writer thread, so that writes and the owner's
 * removals happen in one order. The owner's listener runs on the same alert thread and must not
 * block either.
 */
public final class TorrentSession implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TorrentSession.class.getName());

    /** How long {@link #start} waits for the listen socket. */
    public static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(10);
    /** How long {@link #saveAll} waits for each of its steps. */
    public static final Duration SAVE_TIMEOUT = Duration.ofSeconds(20);
    /**
     * A full queue drops alerts: one save_resume_data alert per torrent at shutdown must fit, and
     * so must two block alerts per 16 KiB downloaded where the owner counts bytes by source.
     */
    private static final int ALERT_QUEUE_SIZE = 100_000;

    /**
     * Where resume data goes.
     *
     * @param files  the resume folder
     * @param writer the owner's single thread for file writes and session changes
     * @param wanted whether a torrent still belongs to the owner when its write runs: resume data
     *               serialised just before a removal must not bring the torrent back
     */
    public record ResumeWrites(ResumeFiles files, Executor writer, Predicate<String> wanted) {
    }

    private final String name;
    private final ResumeWrites resume;
    private final SessionManager session = new SessionManager(false);
    private final Map<String, CompletableFuture<Void>> resumeSaves = new ConcurrentHashMap<>();
    private final CompletableFuture<Integer> listening = new CompletableFuture<>();
    /** The TLS port of SSL torrents, when the listen interfaces name one (an {@code s} suffix). */
    private final CompletableFuture<Integer> sslListening = new CompletableFuture<>();

    private TorrentSession(String name, ResumeWrites resume) {
        this.name = name;
        this.resume = resume;
    }

    /**
     * The settings every session starts from: {@link Libtorrent#privateSwarmSettings} (no DHT,
     * LSD, UPnP or NAT-PMP) with an alert queue long enough not to drop what the owners read.
     * Owners add their own settings to it before {@link #start}.
     */
    public static SettingsPack settings(String listenInterface) {
        return Libtorrent.privateSwarmSettings(listenInterface).alertQueueSize(ALERT_QUEUE_SIZE);
    }

    /**
     * Starts a session and waits until it listens on TCP; when it cannot, nothing is left running.
     *
     * @param name            how log lines name the session ("Origin seeder")
     * @param alertCategories categories beyond status, error and storage notifications (those carry
     *                        the listen and resume alerts), as {@code org.libtorrent4j.swig.alert} flags
     * @param alerts          the owner's listener, on the alert thread
     * @throws IOException      when libtorrent cannot listen, with its reason as the message
     * @throws TimeoutException when it did not listen within {@link #LISTEN_TIMEOUT}
     */
    public static TorrentSession start(String name, SettingsPack settings, int alertCategories, AlertListener alerts,
                                       ResumeWrites resume) throws IOException, TimeoutException, InterruptedException {
        Libtorrent.load(); // before SessionManager touches the first JNI class
        TorrentSession s = new TorrentSession(name, resume);
        try {
            s.open(settings, alertCategories, alerts);
            return s;
        } catch (IOException | TimeoutException | InterruptedException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void open(SettingsPack settings, int alertCategories, AlertListener alerts)
            throws IOException, TimeoutException, InterruptedException {
        // Before start: the listen alerts come at once.
        session.addListener(new Listener());
        session.addListener(alerts);
        session.start(Libtorrent.sessionParams(settings));
        // SessionManager.start turns on every alert category but the logs; per-block upload
        // alerts alone would be 64,000 a second at 1 GB/s. Keep what the owners read.
        int mask = org.libtorrent4j.swig.alert.status_notification.or_(org.libtorrent4j.swig.alert.error_notification)
                .or_(org.libtorrent4j.swig.alert.storage_notification).to_int() | alertCategories;
        session.applySettings(new SettingsPack().setInteger(settings_pack.int_types.alert_mask.swigValue(), mask));
        // The LAN trap (docs/platform-notes.md, "libtorrent4j: LAN peer class"): peers from private
        // and loopback ranges would escape the session's rate limits, so an office LAN could
        // drain an uplink capped for it.
        session.swig().set_peer_class_filter(Libtorrent.everyAddressInGlobalPeerClass());
        try {
            listening.get(LISTEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw (IOException) e.getCause();
        }
    }

    /** The TCP port the session accepts peers on (the one bound when the settings say port 0). */
    public int listenPort() {
        return listening.join();
    }

    /**
     * The TCP port peers of SSL torrents connect to over TLS, when a listen interface ends in
     * {@code s} ({@code 0.0.0.0:6882s}); empty when none does or it did not listen within
     * {@link #LISTEN_TIMEOUT} of the plain port.
     */
    public OptionalInt sslListenPort() {
        try {
            return OptionalInt.of(sslListening.get(LISTEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException | ExecutionException e) {
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    public boolean isRunning() {
        return session.isRunning();
    }

    public void applySettings(SettingsPack settings) {
        session.applySettings(settings);
    }

    /** The session's upload cap in bytes per second, 0 for none. */
    public int uploadRateLimit() {
        return session.uploadRateLimit();
    }

    /**
     * Adds a torrent synchronously. The handle returned is ours to keep; handles taken from alerts
     * point into alert memory that libtorrent frees soon after ("libtorrent4j: alert memory (crash 2)").
     *
     * @param what names the torrent in the error
     * @throws IllegalStateException when libtorrent refuses it
     */
    public torrent_handle add(add_torrent_params params, Object what) {
        error_code ec = new error_code();
        torrent_handle h = session.swig().add_torrent(params, ec);
        if (ec.value() != 0) {
            throw new IllegalStateException("libtorrent refused " + what + ": " + ec.message());
        }
        return h;
    }

    /** Removes a torrent; with {@code deleteFiles} libtorrent deletes them after its outstanding disk jobs. */
    public void remove(torrent_handle h, boolean deleteFiles) {
        session.swig().remove_torrent(h, deleteFiles ? org.libtorrent4j.swig.session.delete_files : new remove_flags_t());
    }

    /**
     * Saves resume data of every torrent {@code handles} names when run on the writer thread (in
     * order with the owner's adds and removals there) and waits until each file is written: what a
     * clean stop does before {@link #close()}, so that the next start neither rehashes nor loses
     * counters.
     *
     * @return false, with a warning, when not every torrent's resume data was written in time
     */
    public boolean saveAll(Supplier<? extends Collection<torrent_handle>> handles) {
        try {
            List<CompletableFuture<Void>> saves = CompletableFuture.supplyAsync(
                    () -> handles.get().stream().map(this::saveResumeData).toList(), resume.writer())
                    .get(SAVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            CompletableFuture.allOf(saves.toArray(CompletableFuture[]::new)).get(SAVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            // Each write was queued on the writer before its future completed.
            CompletableFuture.runAsync(() -> { }, resume.writer()).get(SAVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            LOG.log(Level.DEBUG, "{0}: saved resume data of {1} torrents", name, saves.size());
            return true;
        } catch (TimeoutException | ExecutionException | RejectedExecutionException e) {
            LOG.log(Level.WARNING, "{0}: not all resume data was saved before shutdown ({1}); for those, {2}",
                    name, e, resume.files().withoutResumeData());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private CompletableFuture<Void> saveResumeData(torrent_handle h) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        resumeSaves.put(h.info_hashes().getV1().to_hex(), f);
        h.save_resume_data();
        return f;
    }

    /** Stops libtorrent, which blocks for about a second; resume data not saved before is lost. */
    @Override
    public void close() {
        if (session.isRunning()) {
            session.stop();
        }
    }

    /**
     * The v1 info-hash of a torrent alert's torrent. torrent_handle::info_hashes() reads an
     * immutable field: no call into the network thread, safe on the alert thread.
     */
    public static String infoHash(Alert<?> alert) {
        return ((TorrentAlert<?>) alert).swig().getHandle().info_hashes().getV1().to_hex();
    }

    /** The listen and resume alerts; never blocks. */
    private final class Listener implements AlertListener {

        private final int[] types = {
            AlertType.LISTEN_SUCCEEDED.swig(), AlertType.LISTEN_FAILED.swig(),
            AlertType.SAVE_RESUME_DATA.swig(), AlertType.SAVE_RESUME_DATA_FAILED.swig(),
        };

        @Override
        public int[] types() {
            return types;
        }

        @Override
        public void alert(Alert<?> alert) {
            switch (alert.type()) {
                case LISTEN_SUCCEEDED -> {
                    ListenSucceededAlert a = (ListenSucceededAlert) alert;
                    if (a.socketType() == SocketType.TCP) {
                        listening.complete(a.port());
                    } else if (a.socketType() == SocketType.TCP_SSL) {
                        sslListening.complete(a.port());
                    }
                }
                case LISTEN_FAILED -> {
                    ListenFailedAlert a = (ListenFailedAlert) alert;
                    if (a.socketType() == SocketType.TCP) {
                        listening.completeExceptionally(new IOException(a.error().getMessage()));
                    } else {
                        LOG.log(Level.WARNING, "{0}: {1}", name, a.message());
                    }
                }
                case SAVE_RESUME_DATA -> {
                    AddTorrentParams params = ((SaveResumeDataAlert) alert).params();
                    String ih = params.getInfoHashes().getV1().toHex();
                    byte[] data = AddTorrentParams.writeResumeDataBuf(params); // here, not later: crash 2
                    try {
                        resume.writer().execute(() -> write(ih, data));
                    } catch (RejectedExecutionException e) {
                        LOG.log(Level.DEBUG, "{0}: resume data for {1} after shutdown", name, ih);
                    }
                    resumeSaved(ih);
                }
                case SAVE_RESUME_DATA_FAILED -> {
                    String ih = infoHash(alert);
                    LOG.log(Level.DEBUG, "{0}: no resume data for {1}: {2}", name, ih, alert.message());
                    resumeSaved(ih);
                }
                default -> LOG.log(Level.DEBUG, "{0}: {1}", name, alert.message());
            }
        }
    }

    private void write(String ih, byte[] data) {
        if (resume.wanted().test(ih)) { // else removed after libtorrent serialised it
            resume.files().write(ih, data);
        }
    }

    private void resumeSaved(String ih) {
        CompletableFuture<Void> f = resumeSaves.remove(ih);
        if (f != null) {
            f.complete(null);
        }
    }
}
