package io.starling.controlplane.seed;

import java.nio.file.Path;
import org.libtorrent4j.TorrentFlags;
import org.libtorrent4j.TorrentInfo;
import org.libtorrent4j.swig.add_torrent_params;

/** How an artifact enters the origin seeder's libtorrent session: the add_torrent_params for it. */
final class SeedParams {

    private SeedParams() {
    }

    /**
     * @param dir    the folder holding the link to the blob
     * @param resume its resume data, or null
     */
    static add_torrent_params of(TorrentInfo ti, Path dir, add_torrent_params resume, boolean superSeeding) {
        add_torrent_params p = resume;
        if (p == null) {
            // Seed mode: no hashing at add time; libtorrent checks each piece against the
            // torrent the first time it sends it, so a restart without resume data does not
            // read every artifact, and a bad piece is never sent. The background
            // verification covers what was already checked.
            p = new add_torrent_params();
            p.setFlags(p.getFlags().or_(TorrentFlags.SEED_MODE));
        }
        p.set_ti(ti.swig());
        p.setSave_path(dir.toAbsolutePath().toString());
        // Not auto-managed: libtorrent's queue would pause all but active_seeds of them. Upload
        // mode: the origin never downloads, so nothing ever writes into the blob store.
        p.setFlags(p.getFlags()
                .and_(TorrentFlags.AUTO_MANAGED.inv())
                .and_(TorrentFlags.PAUSED.inv())
                .or_(TorrentFlags.UPLOAD_MODE)
                .or_(TorrentFlags.UPDATE_SUBSCRIBE));
        if (superSeeding) {
            // BEP 16: offer each peer pieces nobody else has yet, so that the origin sends a
            // piece again only after peers have passed it on; the offices then trade the rest.
            p.setFlags(p.getFlags().or_(TorrentFlags.SUPER_SEEDING));
        }
        return p;
    }
}
