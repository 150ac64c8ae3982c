package io.starling.controlplane.tracker;

import java.util.Optional;

/** Which site an address belongs to (by the sites' CIDR ranges). */
public interface SiteOfAddress {

    /** @param address 4 or 16 bytes */
    Optional<String> siteOf(byte[] address);
}
