package io.starling.protocol.agent;

/**
 * A release the agent has installed.
 *
 * @param sequence the manifest sequence it was installed from (the agent refuses anything not above it)
 * @param active   whether the product's {@code current} link points at it
 */
public record InstalledRelease(String product, String version, long sequence, boolean active) {
}
