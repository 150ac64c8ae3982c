package io.starling.controlplane.webhook;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A delivery's life: {@code PENDING} (due, being sent, or waiting for its next attempt) until a
 * receiver answers 2xx ({@code DELIVERED}) or the last attempt failed ({@code FAILED}).
 */
public enum DeliveryState {
    PENDING, DELIVERED, FAILED;

    private static final Map<DeliveryState, Set<DeliveryState>> NEXT = Map.of(
            PENDING, EnumSet.of(PENDING, DELIVERED, FAILED),
            DELIVERED, EnumSet.noneOf(DeliveryState.class),
            FAILED, EnumSet.noneOf(DeliveryState.class));

    public boolean canBecome(DeliveryState next) {
        return NEXT.get(this).contains(next);
    }

    public boolean finished() {
        return NEXT.get(this).isEmpty();
    }
}
