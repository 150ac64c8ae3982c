package io.starling.protocol.assignment;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * What one agent should run, signed for that agent alone and valid for a short while: TUF's
 * "timestamp" and "targets" roles folded into one statement. A replayed or withheld check-in
 * answer cannot keep an agent on an old release past {@link #expiresAt}, and another agent's
 * statement, or an older one, is refused ({@link AssignmentVerifier}).
 *
 * @param format      {@value #FORMAT}
 * @param agentId     the agent it was issued to
 * @param sequence    grows with every statement the control plane issues (per agent); an agent
 *                    refuses one below the highest it accepted, unless it says the same
 * @param issuedAt    when it was signed
 * @param expiresAt   an agent that holds no unexpired statement knows it is being kept in the dark
 * @param keyId       the signing key's id, stamped in by {@link AssignmentSigner}
 * @param deployments every deployment of the agent not yet final, and those cancelled lately
 */
public record Assignment(
        @JsonProperty(required = true) int format,
        @JsonProperty(required = true) String agentId,
        @JsonProperty(required = true) long sequence,
        @JsonProperty(required = true) Instant issuedAt,
        @JsonProperty(required = true) Instant expiresAt,
        @JsonProperty(required = true) String keyId,
        @JsonProperty(required = true) List<AssignedDeployment> deployments) {

    public static final int FORMAT = 1;

    public Assignment {
        deployments = deployments == null ? null : List.copyOf(deployments);
        issuedAt = issuedAt == null ? null : issuedAt.truncatedTo(ChronoUnit.SECONDS);
        expiresAt = expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.SECONDS);
    }

    Assignment withKeyId(String newKeyId) {
        return new Assignment(format, agentId, sequence, issuedAt, expiresAt, newKeyId, deployments);
    }
}
