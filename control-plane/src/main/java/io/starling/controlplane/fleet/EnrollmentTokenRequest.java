package io.starling.controlplane.fleet;

import io.starling.controlplane.common.Names;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "Every field is optional: one use, valid for a day, no site, no labels.",
        example = """
        {"uses": 50, "expiresInSeconds": 604800, "site": "berlin", "labels": ["floor-3", "finance"]}""")
public record EnrollmentTokenRequest(
        @Schema(description = "How many machines may enroll with it", defaultValue = "1")
        @Min(1) @Max(EnrollmentTokens.MAX_USES) Integer uses,
        @Schema(description = "Lifetime in seconds, at most 30 days", defaultValue = "86400")
        @Min(1) @Max(EnrollmentTokens.MAX_LIFETIME_SECONDS) Long expiresInSeconds,
        @Schema(description = "The site its agents are placed in, whatever their address; must exist")
        @Pattern(regexp = Names.SITE_PATTERN, message = "must be " + Names.PRODUCT_RULE) String site,
        @Schema(description = "Labels every agent enrolled with it carries")
        @Size(max = Names.MAX_LABELS, message = "at most " + Names.MAX_LABELS + " labels")
        List<@NotNull @Pattern(regexp = Names.LABEL_PATTERN, message = "must be " + Names.PRODUCT_RULE) String> labels) {
}
