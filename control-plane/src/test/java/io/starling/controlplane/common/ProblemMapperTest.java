package io.starling.controlplane.common;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

class ProblemMapperTest {

    private final ProblemMapper mapper = new ProblemMapper(null);

    @Test
    void aRateLimitedCallIsA429ProblemThatSaysWhenToRetry() {
        Response r = mapper.domain(new DomainException.TooManyRequests("Too many enrollments from 192.0.2.7", 11));
        assertThat(r.getStatus()).isEqualTo(429);
        assertThat(r.getHeaderString("Retry-After")).isEqualTo("11");
        assertThat(r.getMediaType()).hasToString("application/problem+json");
        assertThat(r.getEntity()).isInstanceOfSatisfying(Problem.class,
                p -> assertThat(p.detail()).isEqualTo("Too many enrollments from 192.0.2.7"));
    }
}
