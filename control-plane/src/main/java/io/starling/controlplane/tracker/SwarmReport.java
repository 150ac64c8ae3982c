package io.starling.controlplane.tracker;

import io.starling.controlplane.seed.ServedBytes;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/** Swarm numbers for the API: the tracker's view of peers beside the bytes the server itself sent. */
@ApplicationScoped
public class SwarmReport {

    private final Tracker tracker;
    private final ServedBytes served;

    SwarmReport(Tracker tracker, ServedBytes served) {
        this.tracker = tracker;
        this.served = served;
    }

    public List<SwarmView> all() {
        return tracker.swarms().stream().map(this::view)
                .sorted(Comparator.comparing(SwarmView::product).thenComparing(SwarmView::version)
                        .thenComparing(SwarmView::file))
                .toList();
    }

    public List<SwarmView> ofRelease(String product, String version) {
        return all().stream().filter(s -> s.product().equals(product) && s.version().equals(version)).toList();
    }

    private SwarmView view(Swarm swarm) {
        TrackedTorrent t = swarm.torrent;
        String v1 = HexFormat.of().formatHex(t.infoHashV1());
        Swarm.Stats s = swarm.stats();
        List<SwarmView.SiteCount> sites = swarm.bySite().entrySet().stream()
                .map(e -> new SwarmView.SiteCount(e.getKey(), e.getValue()[0], e.getValue()[1]))
                .sorted(Comparator.comparing(SwarmView.SiteCount::site))
                .toList();
        return new SwarmView(t.product(), t.version(), t.file(), v1, HexFormat.of().formatHex(t.infoHashV2()),
                s.seeds(), s.leechers(), s.completed(), s.reportedUploaded(), s.reportedDownloaded(),
                served.origin(v1), served.webSeed(v1), sites);
    }
}
