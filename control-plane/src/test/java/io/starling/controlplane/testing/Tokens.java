package io.starling.controlplane.testing;

import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.smallrye.jwt.build.Jwt;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Set;

/** Bearer tokens signed by the WireMock OIDC server's key (valid) or by other means (invalid). */
public final class Tokens {

    static final String ISSUER = "https://server.example.com";
    /** What WireMock's tokens carry in {@code aud}, and %test.quarkus.oidc.token.audience accepts. */
    static final String AUDIENCE = "https://server.example.com";

    private Tokens() {
    }

    public static String admin() {
        return OidcWiremockTestResource.getAccessToken("admin", Set.of("starling-admin"));
    }

    /** Another admin than {@link #admin()}: a second pair of eyes, for approvals. */
    public static String admin(String name) {
        return OidcWiremockTestResource.getAccessToken(name, Set.of("starling-admin"));
    }

    public static String publisher() {
        return OidcWiremockTestResource.getAccessToken("publisher", Set.of("starling-publisher"));
    }

    public static String operator() {
        return OidcWiremockTestResource.getAccessToken("operator", Set.of("starling-operator"));
    }

    public static String viewer() {
        return OidcWiremockTestResource.getAccessToken("viewer", Set.of("starling-viewer"));
    }

    public static String agent() {
        return OidcWiremockTestResource.getAccessToken("agent-1", Set.of("starling-agent"));
    }

    /**
     * A token for an enrolled agent's client, as WireMock signs them: the client id is the
     * principal name ({@code preferred_username}), and there is no {@code azp}.
     */
    public static String agent(String clientId) {
        return OidcWiremockTestResource.getAccessToken(clientId, Set.of("starling-agent"));
    }

    /**
     * Shaped like Keycloak's client-credentials token for an agent's client: {@code azp} names the
     * client, {@code preferred_username} is its service account's user.
     */
    public static String keycloakAgent(String clientId) {
        return Jwt.preferredUserName("service-account-" + clientId).claim("azp", clientId)
                .groups(Set.of("starling-agent")).issuer(ISSUER).audience(AUDIENCE).expiresAt(Instant.now().plusSeconds(300))
                .jws().keyId("1").sign("privateKey.jwk");
    }

    /**
     * Signed by the right key, unexpired, with the admin role, but issued for another application
     * of the same realm ({@code aud}), as Keycloak would for a client without Starling's audience mapper.
     */
    public static String forAnotherAudience() {
        return Jwt.preferredUserName("admin").groups(Set.of("starling-admin")).issuer(ISSUER).audience("payroll")
                .expiresAt(Instant.now().plusSeconds(300)).jws().keyId("1").sign("privateKey.jwk");
    }

    /** As {@link #forAnotherAudience()}, with no {@code aud} at all. */
    public static String withoutAudience() {
        return Jwt.preferredUserName("admin").groups(Set.of("starling-admin")).issuer(ISSUER)
                .expiresAt(Instant.now().plusSeconds(300)).jws().keyId("1").sign("privateKey.jwk");
    }

    /** Signed by the right key, but expired a minute ago. */
    public static String expired() {
        return Jwt.preferredUserName("admin").groups(Set.of("starling-admin")).issuer(ISSUER).audience(AUDIENCE)
                .issuedAt(Instant.now().minusSeconds(600)).expiresAt(Instant.now().minusSeconds(60))
                .jws().keyId("1").sign("privateKey.jwk");
    }

    /** Well-formed and unexpired, with the right key id, but signed by a key the server never published. */
    public static String forged() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair attacker = generator.generateKeyPair();
            return Jwt.preferredUserName("admin").groups(Set.of("starling-admin")).issuer(ISSUER).audience(AUDIENCE)
                    .expiresAt(Instant.now().plusSeconds(300))
                    .jws().keyId("1").sign(attacker.getPrivate());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
