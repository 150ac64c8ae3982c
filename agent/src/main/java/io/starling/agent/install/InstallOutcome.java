package io.starling.agent.install;

import java.util.List;

/**
 * How an install ended. On failure the product's previous version is still active and the failed
 * version's folder is gone.
 *
 * @param reason          null on success
 * @param detail          one line for a human; null on success
 * @param exitCode        the failing command's exit code; null on success, or when no command
 *                        ran to an exit (it did not start, or it timed out and was killed)
 * @param output          the last lines of the install command's (or failing health check's)
 *                        merged stdout and stderr
 * @param removedVersions on success, the older versions whose folders were removed to keep the
 *                        configured number (for the installed-releases record to forget)
 */
public record InstallOutcome(
        boolean succeeded,
        Reason reason,
        String detail,
        Integer exitCode,
        List<String> output,
        List<String> removedVersions) {

    /** Words a deployment status report carries as its {@code reason}. */
    public enum Reason {
        /** unpacking, linking, the install command, or the file system failed */
        INSTALL_FAILED,
        /** the health check failed after activation; the previous version is active again */
        HEALTH_CHECK_FAILED,
        /** the archive is not a zip or tar.gz, is damaged, or holds entries that are refused */
        BAD_ARCHIVE
    }

    public InstallOutcome {
        output = output == null ? List.of() : List.copyOf(output);
        removedVersions = removedVersions == null ? List.of() : List.copyOf(removedVersions);
    }

    public static InstallOutcome success(List<String> output, List<String> removedVersions) {
        return new InstallOutcome(true, null, null, null, output, removedVersions);
    }

    public static InstallOutcome failure(Reason reason, String detail, Integer exitCode, List<String> output) {
        return new InstallOutcome(false, reason, oneLine(detail), exitCode, output, List.of());
    }

    private static String oneLine(String text) {
        String s = String.valueOf(text).strip();
        int newline = s.indexOf('\n');
        return newline < 0 ? s : s.substring(0, newline).strip();
    }
}
