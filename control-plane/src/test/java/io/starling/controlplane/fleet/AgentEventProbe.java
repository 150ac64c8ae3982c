package io.starling.controlplane.fleet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Records agents' revocation events, and can hold the next one's transaction open (it is observed inside the
 * revoking transaction, while the agent's row is locked) until a test lets it go.
 */
@ApplicationScoped
public class AgentEventProbe {

    private static final List<AgentEvent> SEEN = new CopyOnWriteArrayList<>();
    private static final AtomicReference<CountDownLatch> HOLD_NEXT = new AtomicReference<>();

    void on(@Observes AgentEvent event) throws InterruptedException {
        if (event.kind() != AgentEvent.Kind.REVOKED) {
            return; // enrollments and site changes are not what the revocation tests count or hold
        }
        SEEN.add(event);
        CountDownLatch hold = HOLD_NEXT.getAndSet(null);
        if (hold != null) {
            hold.await(30, TimeUnit.SECONDS);
        }
    }

    static List<AgentEvent> seen(UUID agentId) {
        return SEEN.stream().filter(e -> e.agentId().equals(agentId)).toList();
    }

    /** @return the latch that lets the held transaction go on */
    static CountDownLatch holdNext() {
        CountDownLatch latch = new CountDownLatch(1);
        HOLD_NEXT.set(latch);
        return latch;
    }
}
