package io.starling.protocol.agent;

/**
 * Where an agent gets one artifact of a deployment.
 *
 * @param name        the artifact's file name, as in the manifest
 * @param torrentPath path on the control plane of this agent's own .torrent (announce and web
 *                    seed URLs carry its passkey); fetched with the agent's bearer token
 */
public record DesiredArtifact(String name, String torrentPath) {
}
