package io.starling.controlplane.seed;

import java.util.UUID;

/**
 * Whether an agent may fetch a release's bytes from the web seed: answered by the feature that
 * knows what is deployed where ({@code deployment}, which may use {@code seed}, not the other
 * way round).
 */
public interface ReleaseEntitlement {

    /** Call inside a transaction; may be answered from a short-lived cache. */
    boolean agentMayFetch(UUID agentId, long releaseId);
}
