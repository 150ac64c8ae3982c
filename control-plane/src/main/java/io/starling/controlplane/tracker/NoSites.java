package io.starling.controlplane.tracker;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Until sites are configured, every peer is in the one unnamed site. */
@DefaultBean
@ApplicationScoped
class NoSites implements SiteOfAddress {

    @Override
    public Optional<String> siteOf(byte[] address) {
        return Optional.empty();
    }
}
