package io.starling.controlplane.deployment;

import java.time.Instant;

/**
 * What a deployment's creator says about installing it; agents enforce it, from the times each
 * check-in answer carries.
 *
 * @param downloadOnly download and verify, then wait in DOWNLOADED until {@link Deployments#allowInstall}
 * @param window       when installs may start (null: any time)
 * @param deadline     from this time on, install even outside the window (null: none)
 */
public record DeploymentPolicy(boolean downloadOnly, MaintenanceWindow window, Instant deadline) {

    public static final DeploymentPolicy AT_ONCE = new DeploymentPolicy(false, null, null);
}
