package io.starling.controlplane.tracker;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code GET /announce/{passkey}} and {@code GET /scrape/{passkey}} as plain Vert.x routes: the
 * query carries binary values that a JAX-RS layer would decode as text, and at tens of thousands
 * of announces per second the event loop should answer directly. BitTorrent clients send no
 * bearer token: the passkey in the path is the credential, checked on every request.
 */
@ApplicationScoped
public class TrackerRoutes {

    private final Tracker tracker;

    TrackerRoutes(Tracker tracker) {
        this.tracker = tracker;
    }

    /** Before Quarkus' authentication handlers, which a passkey-authenticated route does not need. */
    static final int FIRST = -1_000_000;

    void register(@Observes Router router) {
        router.get("/announce/:passkey").order(FIRST).handler(ctx -> answer(ctx,
                tracker.announce(ctx.pathParam("passkey"), ctx.request().query(), ctx.request().remoteAddress().hostAddress())));
        router.get("/scrape/:passkey").order(FIRST + 1).handler(ctx -> answer(ctx,
                tracker.scrape(ctx.pathParam("passkey"), ctx.request().query())));
    }

    private static void answer(RoutingContext ctx, byte[] body) {
        ctx.response().putHeader("Content-Type", "text/plain").putHeader("Cache-Control", "no-store")
                .end(Buffer.buffer(body));
    }
}
