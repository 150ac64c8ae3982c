package io.starling.controlplane.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.controlplane.security.Caller;
import io.starling.controlplane.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/rollouts")
@Tag(name = "Rollouts")
@SecurityRequirement(name = "SecurityScheme")
public class RolloutResource {

    private final Rollouts rollouts;
    private final RolloutViews views;
    private final RolloutControls controls;
    private final Caller caller;
    private final ObjectMapper json;

    RolloutResource(Rollouts rollouts, RolloutViews views, RolloutControls controls, Caller caller, ObjectMapper json) {
        this.json = json;
        this.rollouts = rollouts;
        this.views = views;
        this.controls = controls;
        this.caller = caller;
    }

    @POST
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    @Operation(summary = "Roll a published release out to a target in waves",
            description = "Every targeted agent lands in exactly one wave, decided now; the answer shows the waves with"
                    + " their agent counts. Without startAt (or with one in the past) the first wave starts at once."
                    + " 400 names every bad field; 409 when the release is not published.")
    public Response create(@NotNull @Valid RolloutRequest request) {
        RolloutView created = rollouts.create(request, caller.name());
        return Response.created(URI.create("/api/v1/rollouts/" + created.id())).entity(created).build();
    }

    /**
     * Only those who may create a rollout: it answers nothing a viewer cannot read elsewhere, but
     * it is a POST (the body is a whole rollout request), and a POST open to viewers would blur
     * the rule that viewers call nothing but GET.
     */
    @POST
    @Path("preview")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    @Operation(summary = "Count the agents a rollout request would target, wave by wave, without creating it",
            description = "Takes the body POST /rollouts takes and checks it the same way (400 names every bad field;"
                    + " unknown sites or agent ids too), but the release is not looked at and a target matching no"
                    + " active agent answers agents 0.")
    public RolloutPreview preview(@NotNull @Valid RolloutRequest request) {
        return rollouts.preview(request);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER})
    @Operation(summary = "List rollouts, newest first, with their agents counted by deployment state")
    public List<RolloutSummary> list(@QueryParam("state") RolloutState state,
            @QueryParam("offset") @DefaultValue("0") @Min(0) int offset,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return views.list(state, offset, limit);
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER})
    @Operation(summary = "A rollout's status: counts by deployment state in total, per wave and per site, bytes by"
            + " source, and why it is paused")
    public RolloutView get(@PathParam("id") String id) {
        return views.get(id);
    }

    @GET
    @Path("{id}/agents")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER})
    @Operation(summary = "A rollout's agents, by wave, with their deployment's state, reason, exit code and last output")
    public List<RolloutAgentView> agents(@PathParam("id") String id, @QueryParam("state") String state,
            @QueryParam("wave") String wave, @QueryParam("site") String site,
            @QueryParam("offset") @DefaultValue("0") @Min(0) int offset,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return views.agents(id, state, wave, site, offset, limit);
    }

    @POST
    @Path("{id}/pause")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    @Operation(summary = "Pause a running rollout: no wave starts until it is resumed (deployments under way go on)")
    public RolloutView pause(@PathParam("id") String id) {
        return controls.pause(id, caller.name());
    }

    @POST
    @Path("{id}/resume")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    @Operation(summary = "Resume a paused rollout (409 for any other state, or when its release was revoked)")
    public RolloutView resume(@PathParam("id") String id) {
        return controls.resume(id, caller.name());
    }

    @POST
    @Path("{id}/cancel")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    @Operation(summary = "Cancel a rollout and its deployments that have not started installing")
    public RolloutView cancel(@PathParam("id") String id) {
        return controls.cancel(id, caller.name());
    }

    @POST
    @Path("{id}/advance")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    @Operation(summary = "Start the next wave now: past a MANUAL gate, or ahead of the wave running")
    public RolloutView advance(@PathParam("id") String id) {
        return controls.advance(id, caller.name());
    }

    @POST
    @Path("{id}/approve")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Approve a rollout waiting for approval: it is scheduled, or starts at once if its start time"
            + " has come", description = "Only an admin other than the rollout's creator (403 for the creator). 409 for"
            + " a rollout in any other state (approved or denied already, or created while approvals were off), or one"
            + " whose release was revoked. The body is optional.")
    @Consumes(MediaType.WILDCARD)
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = DecisionRequest.class)))
    public RolloutView approve(@PathParam("id") String id, String body) {
        return controls.approve(id, caller.name(), DecisionRequest.comment(body, json));
    }

    @POST
    @Path("{id}/deny")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Deny a rollout waiting for approval: it ends DENIED, and no agent gets anything",
            description = "Only an admin other than the rollout's creator (403 for the creator); 409 for a rollout"
                    + " in any other state. The body, with an optional comment, may be left out.")
    @Consumes(MediaType.WILDCARD)
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = DecisionRequest.class)))
    public RolloutView deny(@PathParam("id") String id, String body) {
        return controls.deny(id, caller.name(), DecisionRequest.comment(body, json));
    }

    @POST
    @Path("{id}/install")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    @Operation(summary = "Turn a DOWNLOAD_ONLY rollout into an install: its agents install what they pre-staged, and"
            + " waves yet to start install", description = "409 for a rollout in mode INSTALL already, a cancelled"
            + " one, or one whose release was revoked.")
    public RolloutView install(@PathParam("id") String id) {
        return controls.install(id, caller.name());
    }
}
