package io.starling.controlplane.production;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the quick start ships for convenience and production must replace, each found with a
 * one-line reason that says what to do. Pure: the caller gathers the facts.
 */
final class DemoDefaults {

    /** The client secret in deploy/keycloak/realm-starling.json: public, so it protects nothing. */
    static final String SHIPPED_CLIENT_SECRET = "starling-control-plane-secret";

    /**
     * @param forwardedFromAnyone {@code quarkus.http.proxy.proxy-address-forwarding} is on and
     *                            {@code quarkus.http.proxy.trusted-proxies} is empty: Quarkus then
     *                            believes a forwarded header from any client
     */
    record Facts(String keycloakClientSecret, boolean generateSigningKey, Path signingKeyFile,
            boolean embeddedDatabase, boolean forwardedFromAnyone) {
    }

    private DemoDefaults() {
    }

    static List<String> found(Facts facts) {
        List<String> reasons = new ArrayList<>();
        if (SHIPPED_CLIENT_SECRET.equals(facts.keycloakClientSecret())) {
            reasons.add("starling.fleet.keycloak.client-secret is the quick-start realm's published secret:"
                    + " set the secret of your realm's starling-control-plane client");
        }
        if (facts.generateSigningKey()) {
            reasons.add("starling.signing.generate-if-missing is true: create the manifest signing key yourself"
                    + " (openssl genpkey -algorithm ed25519 -out manifest-signing.pem), point"
                    + " starling.signing.key-file at it and set generate-if-missing=false");
        }
        keyFileProblem(facts.signingKeyFile()).ifPresent(reasons::add);
        if (facts.embeddedDatabase()) {
            reasons.add("no quarkus.datasource.jdbc.url: the embedded PostgreSQL is for trials (no backups,"
                    + " one replica); set the URL, user and password of your PostgreSQL server");
        }
        if (facts.forwardedFromAnyone()) {
            // The address decides an agent's site and is what the tracker hands to its peers.
            reasons.add("quarkus.http.proxy.proxy-address-forwarding is true but quarkus.http.proxy.trusted-proxies"
                    + " is empty, so any client could name its own address in X-Forwarded-For or Forwarded:"
                    + " list the addresses of your TLS-terminating proxies");
        }
        return reasons;
    }

    private static java.util.Optional<String> keyFileProblem(Path file) {
        if (!Files.exists(file)) {
            return java.util.Optional.of("the manifest signing key " + file + " does not exist");
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.GROUP_READ)) {
                return java.util.Optional.of("the manifest signing key " + file + " is readable by others"
                        + " (chmod 600 " + file + ", owned by the user the control plane runs as)");
            }
        } catch (UnsupportedOperationException | IOException e) {
            return java.util.Optional.of("cannot read the permissions of the manifest signing key " + file + ": " + e);
        }
        return java.util.Optional.empty();
    }
}
