package io.starling.controlplane.fleet;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "starling.fleet")
public interface FleetConfig {

    /** How often an agent checks in. */
    @WithDefault("60s")
    Duration checkInInterval();

    /**
     * Each next check-in time is the interval times a random factor in 1 ± this fraction, so a
     * fleet that started together (after a power cut, say) spreads out instead of calling at once.
     */
    @WithDefault("0.2")
    double checkInJitter();

    /**
     * An active agent not heard from for this long counts as silent ({@code GET /api/v1/agents/counts},
     * the console's overview): ten check-ins missed at the default interval.
     */
    @WithDefault("10m")
    Duration silentAfter();

    /**
     * How often what agents said at check-in is written to the database, in one batch
     * ({@link CheckInFacts}); a crash loses at most this much of it.
     */
    @WithDefault("1s")
    Duration checkInFlushEvery();

    /**
     * How often each replica reads revokes, deployment changes and re-signed manifests made by
     * other replicas, to drop what its check-in cache holds of them ({@link AgentDirectory},
     * {@code deployment.PendingDeployments}): the staleness bound of a check-in across replicas.
     */
    @WithDefault("1s")
    Duration checkInSyncEvery();

    /**
     * The OpenID Connect token endpoint agents are told to use. Unset:
     * {@code <quarkus.oidc.auth-server-url>/protocol/openid-connect/token}; set it when agents reach
     * Keycloak at another address than the control plane does.
     */
    Optional<String> tokenUrl();

    EnrollmentLimit enrollmentLimit();

    /**
     * Enrollments per client address: a burst, then {@code rate} per {@code period}. An office
     * behind one NAT address enrolling a freshly imaged floor at once needs a larger burst.
     */
    interface EnrollmentLimit {

        @WithDefault("100")
        int burst();

        @WithDefault("100")
        int rate();

        @WithDefault("1m")
        Duration period();

        /** Addresses remembered at once; the least recently seen are forgotten first. */
        @WithDefault("100000")
        int maxAddresses();
    }
}
