package io.starling.agent.cli;

/** Exit codes every command shares, so that scripts can tell failures apart. */
final class ExitCodes {
    static final int OK = 0;
    /** The command failed (the control plane refused, a file could not be written, …). */
    static final int FAILED = 1;
    /** The command cannot run in this state (not enrolled, already enrolled, bad option). */
    static final int USAGE = 2;
    /** The control plane could not be reached. */
    static final int UNREACHABLE = 3;

    private ExitCodes() {
    }
}
