package io.starling.controlplane.webhook;

import io.starling.controlplane.security.Caller;
import io.starling.controlplane.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Webhooks. Admins only: a hook's URL often carries a credential of its own (chat services put
 * one in the path), and a hook sends rollout details out of the company.
 */
@Path("/api/v1/webhooks")
@Tag(name = "Webhooks")
@SecurityRequirement(name = "SecurityScheme")
@RolesAllowed(Roles.ADMIN)
public class WebhookResource {

    private final Webhooks webhooks;
    private final Caller caller;

    WebhookResource(Webhooks webhooks, Caller caller) {
        this.webhooks = webhooks;
        this.caller = caller;
    }

    @POST
    @Operation(summary = "Create a webhook: each new rollout event of the listed types is POSTed to the URL, signed")
    public Response create(@Valid @NotNull(message = "must be a JSON object with url, events and secret")
            WebhookRequest request) {
        WebhookView view = webhooks.create(request, caller.name());
        return Response.created(URI.create("/api/v1/webhooks/" + view.id())).entity(view).build();
    }

    @GET
    @Operation(summary = "List webhooks (whether each has a secret, never the secret)")
    public List<WebhookView> list() {
        return webhooks.list();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A webhook")
    public WebhookView get(@PathParam("id") String id) {
        return webhooks.get(id);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a webhook and its delivery log")
    public Response delete(@PathParam("id") String id) {
        webhooks.delete(id);
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/deliveries")
    @Operation(summary = "A webhook's delivery log, newest first: event, attempts, last status or error, next attempt")
    public List<DeliveryView> deliveries(@PathParam("id") String id, @QueryParam("limit") @DefaultValue("100") int limit) {
        return webhooks.deliveries(id, limit);
    }

    @POST
    @Path("{id}/test")
    @Operation(summary = "Send the webhook a ping (signed and retried like an event); see it in the delivery log")
    public Response test(@PathParam("id") String id) {
        return Response.accepted(webhooks.ping(id)).build();
    }
}
