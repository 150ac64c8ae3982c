package io.starling.controlplane.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bucket4j.TimeMeter;
import io.starling.controlplane.common.DomainException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EnrollmentLimiterTest {

    private long nanos = 1_000_000_000L;
    private final TimeMeter clock = new TimeMeter() {
        @Override
        public long currentTimeNanos() {
            return nanos;
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    };
    private final EnrollmentLimiter limiter = new EnrollmentLimiter(limit(3, 6, Duration.ofMinutes(1)), clock);

    @Test
    void anAddressGetsItsBurstThenA429SayingWhenToComeBack() {
        for (int i = 0; i < 3; i++) {
            limiter.admit("192.0.2.7");
        }
        assertThatThrownBy(() -> limiter.admit("192.0.2.7")).isInstanceOfSatisfying(
                DomainException.TooManyRequests.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.getMessage()).startsWith("Too many enrollments from 192.0.2.7")
                            .contains("Try again in 11 s");
                    assertThat(e.retryAfterSeconds()).isEqualTo(11);
                });
    }

    @Test
    void anotherAddressIsNotHeldBackByTheFirst() {
        for (int i = 0; i < 3; i++) {
            limiter.admit("192.0.2.7");
        }
        assertThatCode(() -> limiter.admit("198.51.100.1")).doesNotThrowAnyException();
    }

    @Test
    void theBucketRefillsAtTheSteadyRate() {
        for (int i = 0; i < 3; i++) {
            limiter.admit("192.0.2.7");
        }
        nanos += Duration.ofSeconds(10).toNanos(); // 6 per minute: one every 10 s
        assertThatCode(() -> limiter.admit("192.0.2.7")).doesNotThrowAnyException();
        assertThatThrownBy(() -> limiter.admit("192.0.2.7")).isInstanceOf(DomainException.TooManyRequests.class);
    }

    private static FleetConfig.EnrollmentLimit limit(int burst, int rate, Duration period) {
        return new FleetConfig.EnrollmentLimit() {
            @Override
            public int burst() {
                return burst;
            }

            @Override
            public int rate() {
                return rate;
            }

            @Override
            public Duration period() {
                return period;
            }

            @Override
            public int maxAddresses() {
                return 1000;
            }
        };
    }
}
