package io.starling.agent.swarm;

import io.starling.protocol.torrent.SslTorrents;
import io.starling.protocol.torrent.TorrentSession;
import java.util.Map;
import org.jboss.logging.Logger;
import org.libtorrent4j.AlertListener;
import org.libtorrent4j.alerts.Alert;
import org.libtorrent4j.alerts.AlertType;
import org.libtorrent4j.alerts.TrackerErrorAlert;
import org.libtorrent4j.swig.block_finished_alert;
import org.libtorrent4j.swig.tcp_endpoint;

/**
 * The swarm's alerts beyond those {@link TorrentSession} reads itself, on libtorrent4j's single
 * alert thread. It copies what it needs out of each alert (objects from an alert die with it:
 * docs/platform-notes.md, "libtorrent4j: alert memory (crash 2)") and never blocks: anything that
 * waits for libtorrent goes to the housekeeping thread.
 */
final class SwarmAlerts implements AlertListener {

    private static final Logger LOG = Logger.getLogger(SwarmAlerts.class);

    /** block_finished comes with block_progress, which is how bytes are attributed to sources. */
    static final int CATEGORIES = org.libtorrent4j.swig.alert.block_progress_notification.to_int();

    private final int[] types = {
        AlertType.BLOCK_FINISHED.swig(), AlertType.TORRENT_FINISHED.swig(), AlertType.HASH_FAILED.swig(),
        AlertType.TORRENT_ERROR.swig(), AlertType.FILE_ERROR.swig(), AlertType.FASTRESUME_REJECTED.swig(),
        AlertType.TRACKER_ERROR.swig(),
    };
    private final Map<String, SwarmDownload> downloads;
    private final SwarmHousekeeping housekeeping;
    private final HttpsRefusals https = new HttpsRefusals();

    SwarmAlerts(Map<String, SwarmDownload> downloads, SwarmHousekeeping housekeeping) {
        this.downloads = downloads;
        this.housekeeping = housekeeping;
    }

    @Override
    public int[] types() {
        return types;
    }

    @Override
    public void alert(Alert<?> alert) {
        switch (alert.type()) {
            case BLOCK_FINISHED -> {
                block_finished_alert a = (block_finished_alert) alert.swig();
                SwarmDownload d = downloads.get(TorrentSession.infoHash(alert));
                if (d != null) {
                    tcp_endpoint e = a.get_endpoint();
                    if (d.blockReceived(e.address().to_string(), e.port(), a.getPiece_index(), a.getBlock_index())) {
                        housekeeping.runQuietly(d::readPeerList); // while the new connection is still open
                    }
                }
            }
            case TORRENT_FINISHED -> {
                SwarmDownload d = downloads.get(TorrentSession.infoHash(alert));
                if (d != null) {
                    LOG.infof("Every piece of %s is verified; seeding it", d);
                }
                // The housekeeping pass notes the completion time and saves resume data.
            }
            case HASH_FAILED -> LOG.warnf("Swarm: %s (the piece is downloaded again)", alert.message());
            case FASTRESUME_REJECTED -> LOG.warnf("Swarm: %s (libtorrent checks the files instead)", alert.message());
            case TORRENT_ERROR, FILE_ERROR -> LOG.errorf("Swarm: %s", alert.message());
            case TRACKER_ERROR -> trackerError((TrackerErrorAlert) alert);
            default -> LOG.debugf("Swarm: %s", alert.message());
        }
    }

    private void trackerError(TrackerErrorAlert alert) {
        SwarmDownload d = downloads.get(TorrentSession.infoHash(alert));
        String message = alert.errorMessage();
        String why = alert.error().getMessage() + (message == null || message.isBlank() ? "" : ": " + message);
        if (d == null || !https.trackerFailed(alert.trackerUrl(), why, d.toString(), SslTorrents.isSsl(d.torrent()))) {
            LOG.debugf("Swarm: %s", alert.message());
        }
    }
}
