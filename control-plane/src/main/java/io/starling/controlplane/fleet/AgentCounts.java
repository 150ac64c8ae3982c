package io.starling.controlplane.fleet;

import java.time.Duration;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * How many agents of one site are active, silent (active, but no check-in for {@link #SILENT_AFTER}
 * or never) and revoked; {@code site} null for agents on no site. Counted by the database, so that
 * the console's overview never reads the fleet itself.
 */
@Schema(example = """
        {"site": "berlin", "active": 412, "silent": 3, "revoked": 7}""")
public record AgentCounts(String site, long active, long silent, long revoked) {

    /** Agents check in every minute by default: ten missed check-ins make an agent silent. */
    public static final Duration SILENT_AFTER = Duration.ofMinutes(10);
}
