package io.starling.controlplane.testing;

import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** What PostgreSQL says about transactions waiting for each other, for race tests. */
public final class RowLocks {

    private RowLocks() {
    }

    /** Whether some session waits for a lock another holds (a {@code SELECT … FOR UPDATE}, an update). */
    public static boolean someoneWaits() {
        Number waiting = QuarkusTransaction.requiringNew().call(() -> (Number) Panache.getEntityManager()
                .createNativeQuery("select count(*) from pg_stat_activity where wait_event_type = 'Lock'")
                .getSingleResult());
        return waiting.intValue() > 0;
    }
}
