package io.starling.controlplane.rollout;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How rollouts are governed. */
@ConfigMapping(prefix = "starling.rollouts")
public interface RolloutsConfig {

    /**
     * A new rollout waits in WAITING_FOR_APPROVAL until an admin other than its creator approves
     * it (four eyes). Rollouts created while this was off are not affected by turning it on.
     */
    @WithDefault("false")
    boolean approvalRequired();
}
