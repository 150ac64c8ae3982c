package io.starling.controlplane.catalog;

import io.starling.controlplane.common.Names;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "A product to publish releases of.", example = """
        {"name": "office-suite", "description": "The office suite on every desktop"}""")
public record ProductRequest(
        @NotNull @Pattern(regexp = Names.PRODUCT_PATTERN, message = "must be " + Names.PRODUCT_RULE)
        String name,
        @Size(max = 1000) String description) {
}
