package io.starling.controlplane.site;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(example = """
        {"name": "berlin", "description": "Berlin office, floors 1-4", "cidrs": ["10.1.0.0/16", "2001:db8:1::/48"],
         "createdAt": "2026-11-27T10:00:00Z", "createdBy": "admin",
         "updatedAt": "2026-11-28T09:30:00Z", "updatedBy": "operator"}""")
public record SiteView(String name, String description, List<String> cidrs, Instant createdAt, String createdBy,
        Instant updatedAt, String updatedBy) {

    static SiteView of(Site s) {
        List<String> cidrs = s.cidrs.stream().map(SiteCidr::parsed).sorted().map(Cidr::toString).toList();
        return new SiteView(s.name, s.description, cidrs, s.createdAt, s.createdBy, s.updatedAt, s.updatedBy);
    }
}
