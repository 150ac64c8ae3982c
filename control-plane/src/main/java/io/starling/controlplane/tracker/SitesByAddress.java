package io.starling.controlplane.tracker;

import io.starling.controlplane.site.SiteResolver;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** The sites' CIDR ranges, as the tracker asks about them on every announce. */
@ApplicationScoped
class SitesByAddress implements SiteOfAddress {

    private final SiteResolver resolver;

    SitesByAddress(SiteResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public Optional<String> siteOf(byte[] address) {
        return resolver.siteOf(address);
    }
}
