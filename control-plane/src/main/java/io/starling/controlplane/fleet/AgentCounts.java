package io.starling.controlplane.fleet;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "Agents counted by state, in all and by site. `silent` agents are active ones counted among"
        + " `active` that have not checked in for `silentAfterSeconds` (or never); `frozen` ones are active ones counted"
        + " among `active` that said at their last check-in that their signed assignment had expired.", example = """
        {"total": {"agents": 1204, "active": 1200, "silent": 12, "frozen": 1, "revoked": 4},
         "bySite": [{"site": "berlin", "counts": {"agents": 801, "active": 800, "silent": 2, "frozen": 1, "revoked": 1}},
                    {"site": "paris", "counts": {"agents": 400, "active": 398, "silent": 10, "frozen": 0, "revoked": 2}},
                    {"site": null, "counts": {"agents": 3, "active": 2, "silent": 0, "frozen": 0, "revoked": 1}}],
         "silentAfterSeconds": 600}""")
public record AgentCounts(Counts total, List<SiteCounts> bySite, long silentAfterSeconds) {

    public record Counts(long agents, long active, long silent, long frozen, long revoked) {

        static final Counts NONE = new Counts(0, 0, 0, 0, 0);

        Counts plus(Counts o) {
            return new Counts(agents + o.agents, active + o.active, silent + o.silent, frozen + o.frozen,
                    revoked + o.revoked);
        }
    }

    /** A site's agents; {@code site} null: the agents on no site, listed last. */
    public record SiteCounts(String site, Counts counts) {
    }
}
