package io.starling.controlplane.catalog;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(example = """
        {"name": "office-suite", "description": "The office suite on every desktop", "lastSequence": 3,
         "createdAt": "2026-11-27T10:00:00Z", "createdBy": "admin"}""")
public record ProductView(String name, String description, long lastSequence, Instant createdAt, String createdBy) {

    static ProductView of(Product p) {
        return new ProductView(p.name, p.description, p.lastSequence, p.createdAt, p.createdBy);
    }
}
