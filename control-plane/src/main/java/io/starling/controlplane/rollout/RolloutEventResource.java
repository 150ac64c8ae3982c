package io.starling.controlplane.rollout;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.starling.controlplane.common.DomainException;
import io.starling.controlplane.common.Ids;
import io.starling.controlplane.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A rollout's live feed as Server-Sent Events ({@link RolloutEventFeed}). Blocking: opening a
 * stream reads the database (the rollout, the replay); the events come from the feed's poller.
 */
@Path("/api/v1/rollouts")
@Tag(name = "Rollouts")
@SecurityRequirement(name = "SecurityScheme")
public class RolloutEventResource {

    static final String CURSOR = "Resume after this event id (the SSE id); without it, only new events come."
            + " Last-Event-ID, which EventSource sends when it reconnects, wins over ?after=.";

    private final RolloutEventFeed feed;
    private final RolloutEventsConfig config;

    RolloutEventResource(RolloutEventFeed feed, RolloutEventsConfig config) {
        this.feed = feed;
        this.config = config;
    }

    @GET
    @Path("{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER})
    @Blocking
    @Operation(summary = "A rollout's live feed: its state changes, its waves', its deployments', and a summary of its"
            + " counts at most every 2 s while anything moves (Server-Sent Events; resumes from Last-Event-ID)")
    public Multi<OutboundSseEvent> ofRollout(@PathParam("id") String id,
            @Parameter(description = CURSOR) @HeaderParam("Last-Event-ID") String lastEventId,
            @Parameter(description = CURSOR) @QueryParam("after") String after, @Context Sse sse) {
        return feed.open(rolloutId(id), cursor(lastEventId, after)).toSse(sse, config.heartbeatEvery());
    }

    private static UUID rolloutId(String id) {
        return Ids.parse(id, "rollout");
    }

    static Long cursor(String lastEventId, String after) {
        String value = lastEventId != null && !lastEventId.isBlank() ? lastEventId : after;
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long id = Long.parseLong(value.strip());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new DomainException.Invalid((value == lastEventId ? "Last-Event-ID" : "after")
                + ": must be an event id (a whole number, 0 for the beginning).");
    }
}
