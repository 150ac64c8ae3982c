package io.starling.protocol.assignment;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One deployment an {@link Assignment} gives its agent: the release by name, and by the signed
 * manifest it must arrive with, so that the answer's unsigned list cannot swap in another.
 *
 * @param id             the deployment id the answer lists it under
 * @param sequence       the release manifest's sequence
 * @param manifestSha256 SHA-256 of the release manifest's signed bytes, lowercase hex
 *                       ({@link AssignmentSigner#manifestDigest})
 * @param downloadOnly   pre-staging: the agent must not install it, whatever the unsigned install
 *                       policy in the answer says (maintenance window times stay unsigned: they only
 *                       move when an assigned release installs)
 * @param cancelled      the deployment was cancelled: the agent stops it; a cancellation counts only
 *                       when a statement says so
 */
public record AssignedDeployment(
        @JsonProperty(required = true) String id,
        @JsonProperty(required = true) String product,
        @JsonProperty(required = true) String version,
        @JsonProperty(required = true) long sequence,
        @JsonProperty(required = true) String manifestSha256,
        @JsonProperty(required = true) boolean downloadOnly,
        @JsonProperty(required = true) boolean cancelled) {
}
