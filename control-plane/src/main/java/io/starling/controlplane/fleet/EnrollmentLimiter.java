package io.starling.controlplane.fleet;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.starling.controlplane.common.DomainException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * Enrollment attempts per client address, as a token bucket: a burst, then a steady rate. Each
 * enrollment creates a Keycloak client, so an address hammering the endpoint (with good tokens or
 * bad) must not turn into thousands of admin calls. Buckets live in a bounded cache: a flood from
 * many addresses costs at most {@code maxAddresses} small entries.
 */
@ApplicationScoped
public class EnrollmentLimiter {

    private final Cache<String, Bucket> buckets;
    private final FleetConfig.EnrollmentLimit limit;
    private final TimeMeter clock;

    @Inject
    EnrollmentLimiter(FleetConfig config) {
        this(config.enrollmentLimit(), TimeMeter.SYSTEM_MILLISECONDS);
    }

    EnrollmentLimiter(FleetConfig.EnrollmentLimit limit, TimeMeter clock) {
        this.limit = limit;
        this.clock = clock;
        // An idle bucket refills completely within burst / rate periods; forgetting it then changes nothing.
        Duration full = limit.period().multipliedBy(Math.max(1, (limit.burst() + limit.rate() - 1) / limit.rate()));
        this.buckets = Caffeine.newBuilder().maximumSize(limit.maxAddresses()).expireAfterAccess(full).build();
    }

    /** @throws DomainException.TooManyRequests when this address has used its enrollments for now */
    public void admit(String address) {
        Bucket bucket = buckets.get(address, a -> Bucket.builder()
                .addLimit(l -> l.capacity(limit.burst()).refillGreedy(limit.rate(), limit.period()))
                .withCustomTimePrecision(clock).build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds() + 1);
            throw new DomainException.TooManyRequests("Too many enrollments from " + address + ": at most "
                    + limit.rate() + " per " + limit.period().toSeconds() + " s after a burst of " + limit.burst()
                    + " (starling.fleet.enrollment-limit). Try again in " + seconds + " s.", seconds);
        }
    }
}
