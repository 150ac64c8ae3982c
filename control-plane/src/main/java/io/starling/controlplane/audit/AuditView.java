package io.starling.controlplane.audit;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(example = """
        {"id": 42, "at": "2026-11-27T10:06:00Z", "actor": "admin", "action": "POST",
         "target": "/api/v1/products/office-suite/releases/2.4.1/publish", "status": 200, "outcome": "SUCCESS"}""")
public record AuditView(long id, Instant at, String actor, String action, String target, int status, String outcome,
        String detail) {

    static AuditView of(AuditEntry e) {
        return new AuditView(e.id, e.at, e.actor, e.action, e.target, e.status, e.outcome, e.detail);
    }
}
