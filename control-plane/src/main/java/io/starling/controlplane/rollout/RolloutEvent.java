package io.starling.controlplane.rollout;

import java.util.UUID;

/**
 * One row of the live feed, as clients receive it.
 *
 * @param data the event's JSON, written once and sent as is to every client:
 *     {@code {"id", "rolloutId", "type", "at", "payload"}}
 */
record RolloutEvent(long id, UUID rolloutId, String type, String data) {
}
