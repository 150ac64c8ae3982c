package io.starling.controlplane.rollout;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.starling.controlplane.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Every rollout's live feed in one stream, for the console's dashboard. A class of its own: a
 * root path of {@code /api/v1} would hide {@code /api/v1/rollouts/{id}/events} behind the
 * rollouts' resource.
 */
@Path("/api/v1/events")
@Tag(name = "Rollouts")
@SecurityRequirement(name = "SecurityScheme")
public class EventResource {

    private final RolloutEventFeed feed;
    private final RolloutEventsConfig config;

    EventResource(RolloutEventFeed feed, RolloutEventsConfig config) {
        this.feed = feed;
        this.config = config;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER})
    @Blocking
    @Operation(summary = "Every rollout's live feed in one stream (Server-Sent Events; resumes from Last-Event-ID)")
    public Multi<OutboundSseEvent> all(
            @Parameter(description = RolloutEventResource.CURSOR) @HeaderParam("Last-Event-ID") String lastEventId,
            @Parameter(description = RolloutEventResource.CURSOR) @QueryParam("after") String after, @Context Sse sse) {
        return feed.open(null, RolloutEventResource.cursor(lastEventId, after)).toSse(sse, config.heartbeatEvery());
    }
}
