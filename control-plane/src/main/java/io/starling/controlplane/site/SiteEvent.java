package io.starling.controlplane.site;

/**
 * Fired inside the transaction that creates, changes or deletes a site. {@link SiteResolver}
 * observes it after commit, so the tracker never routes by ranges that were rolled back.
 */
public record SiteEvent(Kind kind, String site) {

    public enum Kind {
        CREATED,
        UPDATED,
        DELETED
    }
}
