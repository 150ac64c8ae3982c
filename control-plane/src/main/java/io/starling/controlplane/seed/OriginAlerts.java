package io.starling.controlplane.seed;

import io.starling.protocol.torrent.TorrentSession;
import org.jboss.logging.Logger;
import org.libtorrent4j.AlertListener;
import org.libtorrent4j.TorrentStatus;
import org.libtorrent4j.alerts.Alert;
import org.libtorrent4j.alerts.AlertType;
import org.libtorrent4j.alerts.StateChangedAlert;
import org.libtorrent4j.alerts.StateUpdateAlert;

/**
 * The origin seeder's alerts beyond those {@link TorrentSession} reads itself, on libtorrent4j's
 * single alert thread. It copies what it needs out of each alert (docs/platform-notes.md,
 * "libtorrent4j: alert memory (crash 2)": alert objects die with the alert) and never blocks:
 * counting is a map update, hashing goes to the verification thread.
 */
final class OriginAlerts implements AlertListener {

    private static final Logger LOG = Logger.getLogger(OriginAlerts.class);

    /** performance_warning: libtorrent says when the upload cap or the disk holds seeding back. */
    static final int CATEGORIES = org.libtorrent4j.swig.alert.performance_warning.to_int();

    private final int[] types = {
        AlertType.STATE_UPDATE.swig(), AlertType.STATE_CHANGED.swig(), AlertType.HASH_FAILED.swig(),
        AlertType.TORRENT_ERROR.swig(), AlertType.FILE_ERROR.swig(), AlertType.FASTRESUME_REJECTED.swig(),
        AlertType.PERFORMANCE.swig(),
    };
    private final UploadCounts uploads;
    private final BlobVerification verification;

    OriginAlerts(UploadCounts uploads, BlobVerification verification) {
        this.uploads = uploads;
        this.verification = verification;
    }

    @Override
    public int[] types() {
        return types;
    }

    @Override
    public void alert(Alert<?> alert) {
        switch (alert.type()) {
            case STATE_UPDATE -> {
                for (TorrentStatus st : ((StateUpdateAlert) alert).status()) {
                    uploads.observe(st.getInfoHashes().getV1().toHex(), st.totalPayloadUpload());
                }
            }
            case STATE_CHANGED -> {
                // The origin never asks for a full check. libtorrent starts one by itself when
                // a piece fails its seed-mode check (it posts no hash_failed_alert then) or
                // when it rejects resume data: either way, look at the whole blob now.
                if (((StateChangedAlert) alert).getState() == TorrentStatus.State.CHECKING_FILES) {
                    verification.fullCheckStarted(TorrentSession.infoHash(alert));
                }
            }
            case HASH_FAILED -> {
                LOG.warnf("Origin seeder: %s", alert.message());
                verification.soon(TorrentSession.infoHash(alert));
            }
            case TORRENT_ERROR, FILE_ERROR, FASTRESUME_REJECTED -> LOG.errorf("Origin seeder: %s", alert.message());
            default -> LOG.debugf("Origin seeder: %s", alert.message());
        }
    }
}
