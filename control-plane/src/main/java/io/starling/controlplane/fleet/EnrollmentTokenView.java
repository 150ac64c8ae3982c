package io.starling.controlplane.fleet;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "An enrollment token. Its value appears once, in the answer that creates it.",
        example = """
        {"id": "0b6c7f7e-5d1a-4a47-9a43-0f3e2c1d9b21", "token": "q0N8b1d9mXo6T2yJ4rVw3kPz7sLh5GfE1cAa9uYiQeR",
         "usesTotal": 50, "usesLeft": 50, "expiresAt": "2026-12-04T10:00:00Z", "site": "berlin",
         "labels": ["finance", "floor-3"], "status": "ACTIVE", "createdAt": "2026-11-27T10:00:00Z", "createdBy": "admin"}""")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnrollmentTokenView(UUID id, String token, int usesTotal, int usesLeft, Instant expiresAt, String site,
        List<String> labels, EnrollmentToken.Status status, Instant createdAt, String createdBy, Instant revokedAt,
        String revokedBy) {

    static EnrollmentTokenView of(EnrollmentToken t, String value, Instant now) {
        return new EnrollmentTokenView(t.id, value, t.usesTotal, t.usesLeft, t.expiresAt, t.site, List.of(t.labels),
                t.status(now), t.createdAt, t.createdBy, t.revokedAt, t.revokedBy);
    }
}
