package io.starling.controlplane.deployment;

import io.starling.controlplane.common.Names;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "A published release, and its targets: exactly one of agentIds, site or labels.",
        example = """
        {"product": "office-suite", "version": "2.4.1", "labels": ["finance", "floor-3"]}""")
public record DeploymentRequest(
        @NotNull(message = "must name the product")
        @Pattern(regexp = Names.PRODUCT_PATTERN, message = "must be " + Names.PRODUCT_RULE) String product,
        @NotNull(message = "must name the release version")
        @Pattern(regexp = Names.VERSION_PATTERN, message = "is not a valid version") String version,
        @Schema(description = "These agents")
        @Size(min = 1, max = Deployments.MAX_AGENT_IDS, message = "must list 1 to " + Deployments.MAX_AGENT_IDS + " agent ids")
        List<@NotNull @Size(max = 36) String> agentIds,
        @Schema(description = "Every active agent of this site")
        @Pattern(regexp = Names.SITE_PATTERN, message = "must be " + Names.PRODUCT_RULE) String site,
        @Schema(description = "Every active agent carrying all of these labels")
        @Size(min = 1, max = Names.MAX_LABELS, message = "must list 1 to " + Names.MAX_LABELS + " labels")
        List<@NotNull @Pattern(regexp = Names.LABEL_PATTERN, message = "must be " + Names.PRODUCT_RULE) String> labels) {
}
