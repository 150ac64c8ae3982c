package io.starling.controlplane.site;

import io.starling.controlplane.common.Names;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "A site and its address ranges. Ranges must not overlap each other or any other site's.",
        example = """
        {"name": "berlin", "description": "Berlin office, floors 1-4", "cidrs": ["10.1.0.0/16", "2001:db8:1::/48"]}""")
public record SiteRequest(
        @Schema(description = "Required to create a site; on PUT it may be left out, and must match the path if given.")
        @Pattern(regexp = Names.SITE_PATTERN, message = "must be " + Names.PRODUCT_RULE)
        String name,
        @Size(max = 1000) String description,
        @Schema(description = "IPv4 and IPv6 networks in CIDR notation, host bits zero.")
        @NotNull(message = "must list the site's address ranges")
        @Size(min = 1, max = Sites.MAX_CIDRS, message = "must list 1 to " + Sites.MAX_CIDRS + " CIDR ranges")
        List<@NotNull @Size(max = 64) String> cidrs) {
}
