package io.starling.controlplane.catalog;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "An artifact to upload in parts: its size, and optionally its SHA-256 to check once complete.",
        example = """
        {"size": 1073741824, "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}""")
public record PartedUploadRequest(
        @NotNull @Positive Long size,
        @Pattern(regexp = "^[0-9a-fA-F]{64}$", message = "must be 64 hex digits") String sha256) {
}
