package io.starling.controlplane.deployment;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the control plane shapes a release's swarm beyond the tracker's peer lists (docs/operations.md). */
@ConfigMapping(prefix = "starling.distribution")
public interface DistributionConfig {

    /**
     * Give each agent of a deployment a stripe of pieces to ask for first (a different one per
     * agent of a site, and per site), so that neighbours behind one gateway, and the gateways of
     * different offices, hold different pieces and trade. Off: agents pick rarest first alone.
     * Off by default: on a quiet machine the office benchmark measured no difference either way
     * (docs/benchmarks.md, "Stripes"); it stays as an option to measure with.
     */
    @WithDefault("false")
    boolean stripes();

    /** How long a release's stripes are kept before the deployments are read again. */
    @WithDefault("PT30S")
    Duration stripesRefresh();
}
