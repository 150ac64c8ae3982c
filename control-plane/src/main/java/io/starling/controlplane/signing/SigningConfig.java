package io.starling.controlplane.signing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "starling.signing")
public interface SigningConfig {

    /**
     * PEM (PKCS#8) Ed25519 private key that signs manifests, e.g. from
     * {@code openssl genpkey -algorithm ed25519}. Unset: {@code ${starling.home}/keys/manifest-signing.pem}.
     */
    Optional<Path> keyFile();

    /** Create the key file when it does not exist (quick start). Production sets false and provides one. */
    @WithDefault("true")
    boolean generateIfMissing();

    /**
     * PEM file with the offline root key's PUBLIC key ({@code starling-agent keys init-root} writes
     * it as {@code root.pub.pem}). Set: admins rotate and revoke manifest keys with key sets that
     * root signs, and agents that pinned the root follow them. A private key here is refused.
     */
    Optional<Path> rootKey();

    /** How often a replica looks for a key set another replica took (it also looks before every publish). */
    @WithDefault("10s")
    Duration keySetRefresh();

    /** How long a signed manifest stays valid; agents refuse expired ones (no freeze attack). */
    @WithDefault("P30D")
    Duration manifestValidity();

    /**
     * How long an agent's signed assignment (what it should run) stays valid. Agents that hold no
     * unexpired one report a freeze; it is signed again when half of it has passed, so keep it well
     * above the check-in interval (several times {@code starling.fleet.check-in-interval}).
     */
    @WithDefault("PT1H")
    Duration statementValidity();

    /**
     * Manifests expiring within this window are signed again, with a new expiry: only releases still
     * assigned somewhere (an unfinished deployment, an open rollout) or the latest published one of
     * their product. A superseded release lets its manifest expire.
     */
    @WithDefault("P7D")
    Duration renewBefore();
}
