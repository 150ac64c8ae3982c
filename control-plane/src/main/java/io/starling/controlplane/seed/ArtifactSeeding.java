package io.starling.controlplane.seed;

import io.starling.controlplane.peertls.SwarmCa;
import io.starling.controlplane.seed.OriginSession.Events;
import io.starling.controlplane.seed.SeedLinks.Seeded;
import io.starling.protocol.torrent.ResumeFiles;
import io.starling.protocol.torrent.SslTorrents;
import io.starling.protocol.torrent.TorrentSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;
import org.libtorrent4j.TorrentFlags;
import org.libtorrent4j.TorrentHandle;
import org.libtorrent4j.TorrentInfo;
import org.libtorrent4j.swig.add_torrent_params;
import org.libtorrent4j.swig.torrent_handle;

/**
 * Starts and stops seeding single artifacts in the origin seeder's session: blob checks, the
 * link, the add with or without resume data, and the clean-up after. Runs on the seeder's worker
 * thread only, so adds, removals and resume-file writes happen in one order.
 */
final class ArtifactSeeding {

    private static final Logger LOG = Logger.getLogger(ArtifactSeeding.class);

    private final TorrentSession session;
    private final ResumeFiles resumeFiles;
    private final SeedLinks links;
    private final BlobVerification verification;
    private final UploadCounts uploads;
    private final Events events;
    private final BooleanSupplier closed;
    private volatile boolean superSeeding;
    /** Torrents the tracker wants super-seeded (info-hash v1): kept so that one added later starts that way. */
    private final Set<String> superSeeded = ConcurrentHashMap.newKeySet();
    /** The origin\'s certificate for SSL torrents; null: it seeds plain torrents only. */
    private final SwarmCa.PeerIdentity peerIdentity;

    ArtifactSeeding(TorrentSession session, ResumeFiles resumeFiles, SeedLinks links, BlobVerification verification,
                    UploadCounts uploads, Events events, BooleanSupplier closed, boolean superSeeding,
                    SwarmCa.PeerIdentity peerIdentity) {
        this.peerIdentity = peerIdentity;
        this.session = session;
        this.resumeFiles = resumeFiles;
        this.links = links;
        this.verification = verification;
        this.uploads = uploads;
        this.events = events;
        this.closed = closed;
        this.superSeeding = superSeeding;
    }

    /**
     * Turns super-seeding (BEP 16) on or off for everything seeded now and added later, but for torrents the
     * tracker wants super-seeded, which stay so; any thread.
     */
    void superSeeding(boolean on) {
        superSeeding = on;
        links.all().forEach(this::applySuperSeeding);
    }

    boolean superSeeding() {
        return superSeeding;
    }

    /**
     * The tracker's choice for one torrent; while super-seeding is on for everything it changes nothing until that
     * is turned off. Returns whether the torrent is seeded here.
     */
    boolean superSeeding(String ih, boolean on) {
        if (on) {
            superSeeded.add(ih);
        } else {
            superSeeded.remove(ih);
        }
        Seeded s = links.get(ih);
        if (s == null) {
            return false;
        }
        applySuperSeeding(s);
        return true;
    }

    /** A torrent is super-seeded while it is on for everything or the tracker wants it for this one. */
    private boolean superSeeds(String ih) {
        return superSeeding || superSeeded.contains(ih);
    }

    private void applySuperSeeding(Seeded s) {
        if (superSeeds(s.artifact().infoHashV1())) {
            s.handle().setFlags(TorrentFlags.SUPER_SEEDING);
        } else {
            s.handle().unsetFlags(TorrentFlags.SUPER_SEEDING);
        }
    }

    /** Starts seeding, unless already seeded, found corrupt or closing; returns whether it is seeded now. */
    boolean add(OriginArtifact a) {
        String ih = a.infoHashV1();
        if (closed.getAsBoolean()) {
            return false;
        }
        if (links.contains(ih)) {
            return true;
        }
        if (verification.isCorrupt(ih)) {
            LOG.warnf("Not seeding %s again: its blob failed verification in this run", a);
            return false;
        }
        try {
            if (!Files.isRegularFile(a.blob()) || Files.size(a.blob()) != a.size()) {
                LOG.errorf("Cannot seed %s: its blob %s is missing or not %d bytes long", a, a.blob(), a.size());
                return false;
            }
            Path dir = links.link(a);
            TorrentInfo ti = new TorrentInfo(a.torrent());
            String actual = ti.infoHashes().getV1().toHex();
            if (!actual.equals(ih)) {
                throw new IllegalArgumentException("the torrent of " + a + " has info-hash " + actual);
            }
            add_torrent_params resume = resumeFiles.read(ih).orElse(null);
            boolean ssl = SslTorrents.isSsl(ti);
            if (ssl && peerIdentity == null) {
                LOG.errorf("Not seeding %s: it is an SSL torrent and the origin seeder has no certificate", a);
                return false;
            }
            torrent_handle h = session.add(SeedParams.of(ti, dir, resume, superSeeds(ih)), a);
            if (ssl) {
                SslTorrents.setCertificate(h, peerIdentity.certificatePem(), peerIdentity.privateKeyPem());
            }
            uploads.added(ih);
            Path file = dir.resolve(a.name());
            links.put(new Seeded(a, new TorrentHandle(h), file));
            verification.added(a);
            events.seeding(links.size());
            h.save_resume_data();
            LOG.infof("Seeding %s from %s (%s)", a, file, resume != null ? "resume data"
                    : "seed mode: pieces are checked the first time they are sent");
            return true;
        } catch (IOException | RuntimeException e) {
            // One bad artifact must not keep the others in the same batch from being seeded.
            LOG.errorf(e, "Cannot seed %s", a);
            return false;
        }
    }

    /** Stops seeding and forgets the torrent's resume data and link; returns whether it was seeded. */
    boolean remove(String ih) {
        Seeded s = links.remove(ih);
        if (s == null) {
            return false;
        }
        try {
            uploads.observe(ih, s.handle().status().totalPayloadUpload()); // the bytes since the last state update
        } catch (RuntimeException e) {
            LOG.debugf("No final status for %s: %s", s.artifact(), e.getMessage());
        }
        // Never delete_files: the file is a link into the blob store.
        session.remove(s.handle().swig(), false);
        events.seeding(links.size());
        try {
            Files.deleteIfExists(resumeFiles.file(ih));
            SeedLinks.unlink(s);
        } catch (IOException e) {
            LOG.warnf("Cannot clean up after %s: %s", s.artifact(), e.getMessage());
        }
        LOG.infof("Stopped seeding %s", s.artifact());
        return true;
    }

    /** Stops seeding an artifact whose blob no longer matches, for the rest of this run. */
    void quarantine(OriginArtifact a, String reason) {
        Seeded s = links.get(a.infoHashV1());
        if (s == null || !s.artifact().equals(a)) {
            return;
        }
        verification.markCorrupt(a.infoHashV1());
        remove(a.infoHashV1());
        LOG.errorf("The origin seeder stopped seeding %s: %s, not SHA-256 %s as the catalogue says. Restore the "
                + "blob %s from a good copy and restart the control plane. Until then the web seed still serves "
                + "it and clients discard the pieces that fail their hash.", a, reason, a.sha256(), a.blob());
        events.corrupt(a);
    }
}
