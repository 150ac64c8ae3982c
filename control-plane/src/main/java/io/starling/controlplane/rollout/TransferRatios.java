package io.starling.controlplane.rollout;

import io.starling.protocol.agent.BytesBySource;

/**
 * How many copies of a release crossed the WAN, in release sizes. A site that did its job pulls
 * one copy over the WAN and its agents share it on the LAN: a WAN ratio near 1 however many
 * agents it has; near the agent count means peering did not help. Rounded to three decimals.
 */
final class TransferRatios {

    private TransferRatios() {
    }

    /** (other-site peers + origin seeder + web seed) ÷ release size; null without a size. */
    static Double wan(BytesBySource b, Long releaseSize) {
        return ratio(b.otherSitePeers() + b.originSeeder() + b.webSeed(), releaseSize);
    }

    /** (origin seeder + web seed) ÷ release size: copies the control plane served; null without a size. */
    static Double origin(BytesBySource b, Long releaseSize) {
        return ratio(b.originSeeder() + b.webSeed(), releaseSize);
    }

    private static Double ratio(long bytes, Long size) {
        if (size == null || size <= 0) {
            return null;
        }
        return Math.round(bytes * 1000.0 / size) / 1000.0;
    }
}
