package io.starling.protocol.assignment;

import static io.starling.protocol.assignment.AssignmentRejectedException.Reason.BAD_SIGNATURE;
import static io.starling.protocol.assignment.AssignmentRejectedException.Reason.EXPIRED;
import static io.starling.protocol.assignment.AssignmentRejectedException.Reason.MALFORMED;
import static io.starling.protocol.assignment.AssignmentRejectedException.Reason.MISSING;
import static io.starling.protocol.assignment.AssignmentRejectedException.Reason.OTHER_AGENT;
import static io.starling.protocol.assignment.AssignmentRejectedException.Reason.REPLAYED;
import static io.starling.protocol.assignment.AssignmentRejectedException.Reason.TOO_LARGE;

import io.starling.protocol.agent.SignedAssignment;
import io.starling.protocol.manifest.CanonicalJson;
import io.starling.protocol.manifest.Ed25519Keys;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * Decides whether an agent may act on a check-in answer's statement. Thread-safe. As with
 * manifests, the signature over the exact bytes is checked before anything in them is parsed;
 * the binding to the agent, the time and the order come after. A statement issued later than the
 * agent thought it was is not refused: it tells the agent the time (see {@code timeFloor}).
 */
public final class AssignmentVerifier {

    /** Far above a statement listing hundreds of deployments, far below the check-in answer's cap. */
    public static final int MAX_BYTES = 1024 * 1024;

    private final Map<String, PublicKey> trustedKeys;

    /** @param trustedKeys key id ({@link Ed25519Keys#keyId}) to Ed25519 public key: the manifest keys */
    public AssignmentVerifier(Map<String, PublicKey> trustedKeys) {
        this.trustedKeys = Map.copyOf(trustedKeys);
    }

    /**
     * @param agentId      the agent's own id, from its enrollment: a statement for anyone else is refused
     * @param timeFloor    a time the signer's clock is known to have reached, or null if none is known
     *                     yet: a statement expiring by then is refused. An agent takes it from the
     *                     signed issue times it accepted, advanced by its own monotonic clock, never
     *                     from its wall clock (workstation clocks may be hours off) nor from the
     *                     answer's {@code serverTime} (a replayed answer brings its old time along)
     * @param lastAccepted the newest statement this agent accepted, or null: an older one is refused
     *                     unless it names exactly the same deployments (two replicas' statements
     *                     of one unchanged assignment; it tells nothing that is not so)
     * @throws AssignmentRejectedException saying why the statement must not be acted on
     */
    public Assignment verify(SignedAssignment signed, String agentId, Instant timeFloor, Assignment lastAccepted) {
        if (signed == null || signed.statement() == null || signed.signature() == null) {
            throw new AssignmentRejectedException(MISSING, "the check-in answer carries no signed assignment");
        }
        byte[] bytes;
        byte[] signature;
        try {
            bytes = Base64.getDecoder().decode(signed.statement());
            signature = Base64.getDecoder().decode(signed.signature());
        } catch (IllegalArgumentException e) {
            throw new AssignmentRejectedException(MALFORMED, "the statement or its signature is not base64");
        }
        if (bytes.length > MAX_BYTES) {
            throw new AssignmentRejectedException(TOO_LARGE, bytes.length + " bytes, more than the limit of " + MAX_BYTES);
        }
        // Trying each trusted key (one, two during a rotation) spares parsing anything unsigned.
        String signer = trustedKeys.entrySet().stream()
                .filter(k -> Ed25519Keys.verifies(k.getValue(), bytes, signature))
                .map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssignmentRejectedException(BAD_SIGNATURE,
                        "not signed by any trusted key (" + String.join(", ", trustedKeys.keySet()) + ")"));

        Assignment a;
        try {
            a = CanonicalJson.read(bytes, Assignment.class);
        } catch (IllegalArgumentException e) {
            throw new AssignmentRejectedException(MALFORMED, firstLine(e.getMessage()));
        }
        if (!Arrays.equals(CanonicalJson.write(a), bytes) || a.format() != Assignment.FORMAT || !signer.equals(a.keyId())) {
            throw new AssignmentRejectedException(MALFORMED, "not a canonical assignment of format " + Assignment.FORMAT
                    + " naming its signing key " + signer);
        }
        if (!a.agentId().equals(agentId)) {
            throw new AssignmentRejectedException(OTHER_AGENT, "issued to agent " + a.agentId() + ", not to this agent ("
                    + agentId + ")");
        }
        if (!a.issuedAt().isBefore(a.expiresAt()) || timeFloor != null && !timeFloor.isBefore(a.expiresAt())) {
            throw new AssignmentRejectedException(EXPIRED, "issued at " + a.issuedAt() + ", expired at " + a.expiresAt()
                    + " (the control plane's clock has reached " + timeFloor + " at least)");
        }
        if (lastAccepted != null && a.sequence() <= lastAccepted.sequence()
                && !a.deployments().equals(lastAccepted.deployments())) {
            throw new AssignmentRejectedException(REPLAYED, "statement " + a.sequence() + " (issued at " + a.issuedAt()
                    + ") is not newer than statement " + lastAccepted.sequence() + " (issued at " + lastAccepted.issuedAt()
                    + "), which this agent accepted already, and says something else");
        }
        return a;
    }

    /** The statement inside {@code signed}, unchecked: for an agent reading back the one it accepted and stored. */
    public static Assignment read(SignedAssignment signed) {
        return CanonicalJson.read(Base64.getDecoder().decode(signed.statement()), Assignment.class);
    }

    private static String firstLine(String message) {
        String text = String.valueOf(message);
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
