package io.starling.protocol.agent;

import java.util.List;

/**
 * {@code POST /api/agent/v1/deployments/{id}/status}.
 *
 * @param state         the state the agent is now in; must be a move the table allows, or the same state
 *                      (a progress update)
 * @param bytesDone     verified payload bytes on disk
 * @param bytesTotal    the release's payload size
 * @param bytes         downloaded bytes by source, cumulative for this deployment
 * @param reason        for FAILED: a stable word, e.g. a {@code ManifestRejectedException.Reason},
 *                      {@code BAD_ARTIFACT}, {@code INSTALL_FAILED}, {@code HEALTH_CHECK_FAILED},
 *                      {@value #INVALID_DEPLOYMENT}, {@value #DOWNLOAD_STALLED}
 * @param detail        one line for a human
 * @param exitCode      the failing command's exit code, if a command failed
 * @param output        the last lines of the failing command's output
 */
public record DeploymentStatusReport(
        DeploymentState state,
        long bytesDone,
        long bytesTotal,
        BytesBySource bytes,
        String reason,
        String detail,
        Integer exitCode,
        List<String> output) {

    /**
     * The reason of a deployment the agent refused before doing anything: a name it was sent
     * (product, version) breaks the name rules, or its manifest or signature is missing.
     */
    public static final String INVALID_DEPLOYMENT = "INVALID_DEPLOYMENT";

    /** The reason of a download that verified no piece for the agent's stall deadline, web seed included. */
    public static final String DOWNLOAD_STALLED = "DOWNLOAD_STALLED";

    public DeploymentStatusReport {
        bytes = bytes == null ? BytesBySource.NONE : bytes;
        output = output == null ? List.of() : List.copyOf(output);
    }

    public static DeploymentStatusReport progress(DeploymentState state, long done, long total, BytesBySource bytes) {
        return new DeploymentStatusReport(state, done, total, bytes, null, null, null, null);
    }

    public static DeploymentStatusReport failed(String reason, String detail, BytesBySource bytes) {
        return new DeploymentStatusReport(DeploymentState.FAILED, 0, 0, bytes, reason, detail, null, null);
    }
}
