package io.starling.agent.sync;

import io.starling.agent.state.InstalledReleases;
import io.starling.protocol.keys.KeySet;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;

/**
 * What a key set the agent takes does to the products' sequence floors: its explicit resets
 * ({@code keys sign --reset-sequence}) first, then its revocations, which forget what each revoked
 * key vouched for ({@link InstalledReleases#forgetSigners}), so that a stolen key's sequence far
 * ahead (a fast-forward) stops refusing genuine releases as rollbacks without the admin naming a
 * sequence. Each floor lowered by a revocation is logged once and told to the control plane at
 * the next check-in that gets through. Thread-safe.
 */
final class SequenceFloors {

    private static final Logger LOG = Logger.getLogger(SequenceFloors.class);

    private final InstalledReleases installed;
    private final List<String> unreported = new CopyOnWriteArrayList<>();

    SequenceFloors(InstalledReleases installed) {
        this.installed = installed;
    }

    /** A key set was taken just now. */
    void taken(KeySet set) throws IOException {
        // Resets first: the sequence an admin names as genuine is a floor no revocation goes below.
        for (Map.Entry<String, Long> reset : set.resets().entrySet()) {
            if (installed.lowerLastSequence(reset.getKey(), reset.getValue())) {
                LOG.warnf("Key set %d resets %s: releases above sequence %d are accepted again", set.version(),
                        reset.getKey(), reset.getValue());
            }
        }
        revoked(set.revoked());
    }

    /**
     * Forgets what these revoked keys vouched for. At every start too, with the held set's
     * revocations: an agent stopped between saving a set and lowering its floors lowers them then
     * (a second call changes nothing).
     */
    void revoked(Collection<String> keyIds) throws IOException {
        if (keyIds.isEmpty()) {
            return;
        }
        for (InstalledReleases.Lowered lowered : installed.forgetSigners(keyIds)) {
            String line = "sequence floor of " + lowered.product() + " lowered from " + lowered.from() + " to "
                    + lowered.to() + ": " + (lowered.keyIds().size() == 1 ? "key " : "keys ")
                    + String.join(", ", lowered.keyIds()) + (lowered.keyIds().size() == 1 ? " was" : " were") + " revoked";
            LOG.warn(line);
            unreported.add(line);
        }
    }

    /** The lines the next check-in carries. */
    List<String> unreported() {
        return List.copyOf(unreported);
    }

    /** A check-in that carried these got through. */
    void reported(Collection<String> lines) {
        unreported.removeAll(lines);
    }
}
