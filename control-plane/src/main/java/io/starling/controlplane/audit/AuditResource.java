package io.starling.controlplane.audit;

import io.starling.controlplane.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/audit")
@Tag(name = "Audit")
@SecurityRequirement(name = "SecurityScheme")
public class AuditResource {

    private final AuditLog audit;

    AuditResource(AuditLog audit) {
        this.audit = audit;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
    @Operation(summary = "Mutating calls, newest first; for the next page pass the last entry's id as before")
    public List<AuditView> recent(@QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit,
            @Parameter(description = "Exact user or client name") @QueryParam("actor") String actor,
            @Parameter(description = "POST, PUT, DELETE or PATCH") @QueryParam("action") String action,
            @Parameter(description = "Entries at or after this ISO-8601 time") @QueryParam("from") String from,
            @Parameter(description = "Entries before this ISO-8601 time") @QueryParam("to") String to,
            @Parameter(description = "Entries older than the entry with this id") @QueryParam("before") String before) {
        return audit.recent(AuditQuery.parse(actor, action, from, to, before, limit));
    }
}
