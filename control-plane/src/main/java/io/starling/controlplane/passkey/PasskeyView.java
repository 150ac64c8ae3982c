package io.starling.controlplane.passkey;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(example = """
        {"passkey": "k3J9xQ2mZ8vT1bW4nR6yH0cL5aE7uD2s", "owner": "admin", "label": "manual downloads",
         "createdAt": "2026-11-27T10:00:00Z"}""")
public record PasskeyView(String passkey, String owner, String label, String site, Instant createdAt,
        Instant revokedAt) {

    static PasskeyView of(Passkey p) {
        return new PasskeyView(p.value, p.owner, p.label, p.site, p.createdAt, p.revokedAt);
    }
}
