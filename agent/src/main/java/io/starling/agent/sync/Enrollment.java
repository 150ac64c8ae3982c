package io.starling.agent.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.agent.state.AgentIdentity;
import io.starling.agent.verify.KeyPinException;
import io.starling.agent.verify.ManifestKeyPins;
import io.starling.protocol.agent.EnrollRequest;
import io.starling.protocol.agent.EnrollResponse;
import io.starling.protocol.agent.TrustedKey;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Enrolling, up to the identity to save: the call, then every check of the answer, so that an
 * answer that fails one leaves nothing behind on this machine (the caller saves only what
 * {@link #enroll} returns).
 */
public final class Enrollment {

    /** @param dropped offered manifest keys that no pin named, and that the agent will not trust */
    public record Enrolled(AgentIdentity identity, List<TrustedKey> dropped) {
    }

    private final Transport transport;
    private final ManifestKeyPins pins;
    private final ObjectMapper json;
    private final Duration timeout;

    /** @throws IllegalArgumentException for a fingerprint that is not one, before anything is sent */
    public Enrollment(Transport transport, List<String> fingerprints, ObjectMapper json, Duration timeout) {
        this.transport = transport;
        this.pins = ManifestKeyPins.parse(fingerprints);
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
        if (answer.tokenUrl() != null) {
            try {
                transport.require(URI.create(answer.tokenUrl()), "The token URL the control plane sent,");
            } catch (IllegalArgumentException e) {
                throw new EnrollmentRefusedException(e.getMessage() + "." + spent, e);
            }
        }
        AgentIdentity identity = new AgentIdentity(server.toString(), answer.agentId(), answer.clientId(),
                answer.clientSecret(), answer.tokenUrl(), answer.passkey(), keys.kept(), answer.site(), answer.labels());
        return new Enrolled(identity, keys.dropped());
    }
}
