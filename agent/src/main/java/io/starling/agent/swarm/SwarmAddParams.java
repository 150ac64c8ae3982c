package io.starling.agent.swarm;

import org.libtorrent4j.TorrentFlags;
import org.libtorrent4j.swig.add_torrent_params;
import org.libtorrent4j.swig.bitfield;
import org.libtorrent4j.swig.byte_vector;
import org.libtorrent4j.swig.int_bitfield_map;
import org.libtorrent4j.swig.int_vector;
import org.libtorrent4j.swig.string_vector;

/** How a download enters the agent's libtorrent session: the add_torrent_params for it. */
final class SwarmAddParams {

    private SwarmAddParams() {
    }

    /**
     * @param resume  its resume data, or null to start afresh
     * @param recheck ignore the resume data's piece claims (a run did not stop cleanly since)
     */
    static add_torrent_params of(SwarmDownload d, add_torrent_params resume, boolean recheck) {
        boolean resumed = resume != null;
        add_torrent_params p = resumed ? resume : new add_torrent_params();
        p.set_ti(d.torrent().swig());
        p.setSave_path(d.saveDir().toString());
        // The torrent's own trackers and web seeds, never the ones resume data remembers: a new
        // passkey or web seed URL in the torrent must replace the old one, not join it.
        p.setTrackers(new string_vector());
        p.setTracker_tiers(new int_vector());
        p.setUrl_seeds(new string_vector());
        var flags = p.getFlags()
                .and_(TorrentFlags.AUTO_MANAGED.inv()) // libtorrent's queue would pause all but a few
                .and_(TorrentFlags.OVERRIDE_TRACKERS.inv())
                .and_(TorrentFlags.OVERRIDE_WEB_SEEDS.inv())
                .and_(TorrentFlags.SEED_MODE.inv())
                .or_(TorrentFlags.DISABLE_DHT).or_(TorrentFlags.DISABLE_LSD).or_(TorrentFlags.DISABLE_PEX);
        if (!resumed) {
            flags = flags.and_(TorrentFlags.PAUSED.inv()); // a resumed torrent keeps the paused state it had
        }
        p.setFlags(flags);
        byte[] priorities = PieceStripe.priorities(d.stripe(), d.torrent().numPieces());
        if (priorities != null) {
            p.set_piece_priorities(new byte_vector(priorities));
        }
        if (resumed && recheck) {
            // No piece claims: libtorrent then checks every file it finds, before anything else.
            // force_recheck() after the add is not the same: libtorrent ignores it while it is
            // still reading the resume data, and then trusts what the resume data claims.
            p.set_have_pieces(new bitfield());
            p.set_verified_pieces(new bitfield());
            p.set_unfinished_pieces(new int_bitfield_map());
        }
        return p;
    }
}
