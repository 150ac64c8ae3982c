package io.starling.controlplane.common;

import java.util.UUID;

/** Ids in URLs: a UUID, or a 404 that names what was looked for (never a 400 or a 500). */
public final class Ids {

    private Ids() {
    }

    /** @param what what the id names, for the message: "agent", "rollout", … */
    public static UUID parse(String id, String what) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw notFound(what, id);
        }
    }

    public static DomainException.NotFound notFound(String what, String id) {
        return new DomainException.NotFound("No " + what + " " + Names.printable(id) + ".");
    }
}
