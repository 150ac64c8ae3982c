package io.starling.controlplane.fleet;

import io.starling.protocol.agent.EnrollRequest;
import io.starling.protocol.agent.EnrollResponse;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/agent/v1/enroll")
@Tag(name = "Agent")
public class EnrollmentResource {

    private final Enrollment enrollment;
    private final EnrollmentLimiter limiter;

    EnrollmentResource(Enrollment enrollment, EnrollmentLimiter limiter) {
        this.enrollment = enrollment;
        this.limiter = limiter;
    }

    @POST
    @PermitAll // the enrollment token in the body is the credential: a new machine has no other yet
    @Operation(summary = "Enroll a machine with an enrollment token",
            description = "Returns the agent's id, its Keycloak client credentials, its tracker passkey and the"
                    + " manifest verification keys. Shown once: the client secret is not stored here.")
    @RequestBody(content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "enroll", value = """
            {"token": "q0N8b1d9mXo6T2yJ4rVw3kPz7sLh5GfE1cAa9uYiQeR", "hostname": "ws-berlin-042",
             "agentVersion": "0.1.0", "labels": ["finance"]}""")))
    public Response enroll(@NotNull EnrollRequest request, @Context HttpServerRequest http) {
        String address = http.remoteAddress().hostAddress();
        limiter.admit(address);
        EnrollResponse response = enrollment.enroll(request, address);
        return Response.status(Response.Status.CREATED).header("Cache-Control", "no-store").entity(response).build();
    }
}
