package io.starling.controlplane.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CallingAgentTest {

    @Test
    void keycloaksServiceAccountNameLeadsToTheClient() {
        assertThat(CallingAgent.clientIdOf("service-account-starling-agent-42")).isEqualTo("starling-agent-42");
    }

    @Test
    void aPlainNameIsTheClientItself() {
        assertThat(CallingAgent.clientIdOf("starling-agent-42")).isEqualTo("starling-agent-42");
        assertThat(CallingAgent.clientIdOf(null)).isEmpty();
    }
}
