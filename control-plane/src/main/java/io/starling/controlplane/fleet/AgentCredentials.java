package io.starling.controlplane.fleet;

/**
 * Each agent's own identity at the identity provider: one confidential client per agent, so that
 * disabling one agent is one switch. Implementations turn every failure of the provider into
 * {@link io.starling.controlplane.common.DomainException.Unavailable}.
 */
public interface AgentCredentials {

    /** The client id every agent's client gets: agent identification relies on it. */
    static String clientIdOf(String agentId) {
        return "starling-agent-" + agentId;
    }

    /** Creates the agent's client, enabled, with a fresh secret. */
    Credentials create(String agentId);

    /** Stops the client from getting new tokens. Idempotent; an unknown client is not an error. */
    void disable(String clientId);

    /** A client id and its secret, for the client-credentials grant. */
    record Credentials(String clientId, String secret) {

        /** Never print the secret. */
        @Override
        public String toString() {
            return "Credentials[clientId=" + clientId + "]";
        }
    }
}
