package io.starling.protocol.agent;

/**
 * The control plane's signed statement of what one agent should run, as it travels in the
 * check-in answer: the exact canonical JSON bytes of an {@code Assignment} and the detached
 * Ed25519 signature over them, both base64. An agent acts on the answer's deployments only as
 * far as a valid statement names them.
 *
 * @param statement canonical JSON, base64
 * @param signature 64 bytes, base64
 */
public record SignedAssignment(String statement, String signature) {
}
