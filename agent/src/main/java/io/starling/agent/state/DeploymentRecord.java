package io.starling.agent.state;

import io.starling.protocol.agent.BytesBySource;
import io.starling.protocol.agent.DeploymentState;
import io.starling.protocol.agent.InstallPolicy;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * What the agent remembers of one deployment, enough to carry on after a restart without the
 * control plane: the signed manifest is kept as it came, so that it can be verified and
 * installed offline. Changed only through {@link DeploymentJournal}.
 *
 * @param state         the local state, moved only along {@link DeploymentState}'s table
 * @param manifest      the exact signed manifest bytes, base64
 * @param signature     the detached signature over them, base64
 * @param bytes         downloaded bytes by source, cumulative over restarts
 * @param reportedState the state the control plane last acknowledged; null before the first report
 * @param reason        for FAILED: a stable word (a manifest rejection reason, INSTALL_FAILED, ...)
 * @param detail        for FAILED: one line for a human; in DOWNLOADED: why it waits to install,
 *                      as last reported
 * @param exitCode      for FAILED: the failing command's exit code, if a command failed
 * @param output        for FAILED: the last lines of the failing command's output
 * @param install       when it may be installed, as the control plane last said (kept, so that
 *                      a restarted agent does not install outside its window before it has
 *                      checked in)
 */
public record DeploymentRecord(
        String id,
        String product,
        String version,
        DeploymentState state,
        String manifest,
        String signature,
        BytesBySource bytes,
        DeploymentState reportedState,
        String reason,
        String detail,
        Integer exitCode,
        List<String> output,
        Instant createdAt,
        Instant updatedAt,
        InstallPolicy install) {

    public DeploymentRecord {
        bytes = bytes == null ? BytesBySource.NONE : bytes;
        output = output == null ? List.of() : List.copyOf(output);
        // A journal written before install policies existed: those deployments installed at once.
        install = install == null ? InstallPolicy.AT_ONCE : install;
    }

    public byte[] manifestBytes() {
        return Base64.getDecoder().decode(manifest);
    }

    public byte[] signatureBytes() {
        return Base64.getDecoder().decode(signature);
    }

    /** Whether the control plane has yet to hear of the current state. */
    public boolean needsReport() {
        return reportedState != state;
    }

    DeploymentRecord with(DeploymentState newState, BytesBySource newBytes, DeploymentState newReported,
                          String newReason, String newDetail, Integer newExitCode, List<String> newOutput,
                          Instant now) {
        return new DeploymentRecord(id, product, version, newState, manifest, signature, newBytes, newReported,
                newReason, newDetail, newExitCode, newOutput, createdAt, now, install);
    }

    DeploymentRecord withManifest(String newManifest, String newSignature, Instant now) {
        return new DeploymentRecord(id, product, version, state, newManifest, newSignature, bytes, reportedState, reason,
                detail, exitCode, output, createdAt, now, install);
    }

    DeploymentRecord with(InstallPolicy newInstall, Instant now) {
        return new DeploymentRecord(id, product, version, state, manifest, signature, bytes, reportedState, reason,
                detail, exitCode, output, createdAt, now, newInstall);
    }
}
