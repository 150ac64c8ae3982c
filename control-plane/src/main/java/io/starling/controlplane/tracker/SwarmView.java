package io.starling.controlplane.tracker;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "One artifact's swarm: who holds it, and where its bytes came from.", example = """
        {"product": "office-suite", "version": "2.4.1", "file": "setup.bin",
         "infoHashV1": "63c5ef066166bd65afaf7b0965cb24ecfdaba6d3",
         "infoHashV2": "0f2750e5824c46e435875ff5da66d210ee1f498430abb32c6c3ec254e317320b",
         "seeds": 41, "leechers": 9, "completed": 44, "reportedUploadedBytes": 47244640256,
         "reportedDownloadedBytes": 47244640256, "originSeedBytes": 1181116006, "webSeedBytes": 0,
         "sites": [{"site": "berlin", "seeds": 30, "leechers": 2}, {"site": "paris", "seeds": 11, "leechers": 7}]}""")
public record SwarmView(String product, String version, String file, String infoHashV1, String infoHashV2, int seeds,
        int leechers, long completed, long reportedUploadedBytes, long reportedDownloadedBytes, long originSeedBytes,
        long webSeedBytes, List<SiteCount> sites) {

    /** Peers of a site; "" is the peers whose address is in no site's ranges. */
    public record SiteCount(String site, int seeds, int leechers) {
    }
}
