package io.starling.agent.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.agent.state.AgentIdentity;
import io.starling.agent.verify.KeyPinException;
import io.starling.agent.verify.ManifestKeyPins;
import io.starling.protocol.agent.EnrollRequest;
import io.starling.protocol.agent.EnrollResponse;
import io.starling.protocol.agent.TrustedKey;
import io.starling.protocol.keys.KeySetRejectedException;
import io.starling.protocol.keys.KeySetVerifier;
import io.starling.protocol.manifest.Ed25519Keys;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Enrolling, up to the identity to save: the call, then every check of the answer, so that an
 * answer that fails one leaves nothing behind on this machine (the caller saves only what
 * {@link #enroll} returns).
 */
public final class Enrollment {

    /**
     * @param dropped         offered manifest keys that no pin named, and that the agent will not trust
     * @param peerCertificate the first certificate for SSL torrents, when the request sent a swarm key
     *                        and the control plane issued one; null otherwise
     */
    public record Enrolled(AgentIdentity identity, List<TrustedKey> dropped, String peerCertificate) {
    }

    private final Transport transport;
    private final ManifestKeyPins pins;
    private final String rootPin;
    private final ObjectMapper json;
    private final Duration timeout;

    /** @throws IllegalArgumentException for a fingerprint that is not one, before anything is sent */
    public Enrollment(Transport transport, List<String> fingerprints, ObjectMapper json, Duration timeout) {
        this(transport, fingerprints, null, json, timeout);
    }

    /**
     * @param rootFingerprint the offline root key to pin ({@code --root-key-fingerprint}), or null
     *                        to take the root the answer holds, if any, as it comes
     * @throws IllegalArgumentException for a fingerprint that is not one, before anything is sent
     */
    public Enrollment(Transport transport, List<String> fingerprints, String rootFingerprint, ObjectMapper json,
            Duration timeout) {
        this.transport = transport;
        this.pins = ManifestKeyPins.parse(fingerprints);
        this.rootPin = rootFingerprint == null ? null : ManifestKeyPins.fingerprint("--root-key-fingerprint", rootFingerprint);
        this.json = json;
        this.timeout = timeout;
    }

    /**
     * @throws IllegalArgumentException when {@code server} may not carry credentials (nothing sent)
     * @throws ControlPlaneException    when the control plane refused or could not be reached
     * @throws EnrollmentRefusedException when the answer holds no key a pin names, or names a token
     *                                    URL credentials may not go to
     */
    public Enrolled enroll(URI server, EnrollRequest request) {
        transport.require(server, "--server");
        EnrollResponse answer = ControlPlaneClient.enroll(server, request, json, timeout, transport);
        String spent = " Nothing was saved; the control plane created agent " + answer.agentId()
                + ", which an admin should revoke.";
        ManifestKeyPins.Outcome keys;
        try {
            keys = pins.select(answer.manifestKeys());
        } catch (KeyPinException e) {
            throw new EnrollmentRefusedException(e.getMessage() + "." + spent, e);
        }
        try {
            checkRoot(answer);
        } catch (KeyPinException e) {
            throw new EnrollmentRefusedException(e.getMessage() + "." + spent, e);
        }
        if (answer.tokenUrl() != null) {
            try {
                transport.require(URI.create(answer.tokenUrl()), "The token URL the control plane sent,");
            } catch (IllegalArgumentException e) {
                throw new EnrollmentRefusedException(e.getMessage() + "." + spent, e);
            }
        }
        AgentIdentity identity = new AgentIdentity(server.toString(), answer.agentId(), answer.clientId(),
                answer.clientSecret(), answer.tokenUrl(), answer.passkey(), keys.kept(), answer.site(), answer.labels(),
                answer.rootKey(), answer.rootKey() == null ? null : answer.keySet());
        return new Enrolled(identity, keys.dropped(), answer.peerCertificate());
    }

    /**
     * The root the answer offers must be the pinned one, and its key set must be that root's,
     * current: a man in the middle could otherwise hand this agent a root of his own, and with
     * it every manifest key he likes.
     */
    private void checkRoot(EnrollResponse answer) {
        TrustedKey root = answer.rootKey();
        if (root == null) {
            if (rootPin != null) {
                throw new KeyPinException("--root-key-fingerprint was given, but the control plane offered no root key "
                        + "(is starling.signing.root-key set there?)");
            }
            return;
        }
        String offered = ManifestKeyPins.fingerprintOf(root);
        if (offered == null) {
            throw new KeyPinException("the root key the control plane offered is not an Ed25519 public key");
        }
        if (rootPin != null && !rootPin.equals(offered)) {
            throw new KeyPinException("the control plane offered root key " + offered + ", not the pinned " + rootPin
                    + ". Compare with the fingerprint the admin wrote down; someone may be between this machine and the "
                    + "control plane");
        }
        if (answer.keySet() != null) {
            try {
                new KeySetVerifier(Ed25519Keys.readPublicKey(root.publicKey())).verify(answer.keySet(), Instant.now(), -1);
            } catch (KeySetRejectedException e) {
                throw new KeyPinException("the key set the control plane offered is refused (" + e.reason() + "): "
                        + e.getMessage());
            }
        }
    }
}
