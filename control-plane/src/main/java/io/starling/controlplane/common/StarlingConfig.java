package io.starling.controlplane.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** Settings every feature shares. */
@ConfigMapping(prefix = "starling")
public interface StarlingConfig {

    /** Folder for blobs, keys and the embedded PostgreSQL (env STARLING_HOME). */
    @WithDefault(".starling")
    Path home();

    /**
     * The URL agents and BitTorrent clients reach this server at, used in announce and web seed
     * URLs. Unset: taken from the request that asks for the torrent.
     */
    Optional<String> publicUrl();
}
