package io.starling.controlplane.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.starling.controlplane.common.DomainException;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;

/**
 * The real Keycloak path without Keycloak: what the new client looks like, and that an
 * unreachable Keycloak is a 503-style refusal, never a 500. (Against a real Keycloak: the e2e tests.)
 */
@QuarkusTest
class KeycloakAgentCredentialsTest {

    @Inject
    KeycloakAgentCredentials keycloak;

    @Test
    void anAgentsClientIsConfidentialWithOnlyTheServiceAccountTheAgentRoleAndStarlingsAudience() {
        ClientRepresentation c = KeycloakAgentCredentials.representation("starling-agent-42", "s3cret",
                "starling-control-plane");
        assertThat(c.getClientId()).isEqualTo("starling-agent-42");
        assertThat(c.isPublicClient()).isFalse();
        assertThat(c.isServiceAccountsEnabled()).isTrue();
        assertThat(c.isStandardFlowEnabled()).isFalse();
        assertThat(c.isDirectAccessGrantsEnabled()).isFalse();
        assertThat(c.isImplicitFlowEnabled()).isFalse();
        assertThat(c.getSecret()).isEqualTo("s3cret");
        assertThat(c.getProtocolMappers()).hasSize(2);
        assertThat(c.getProtocolMappers().get(0)).satisfies(m -> {
            assertThat(m.getProtocolMapper()).isEqualTo("oidc-hardcoded-role-mapper");
            assertThat(m.getConfig()).containsEntry("role", "starling-agent");
        });
        assertThat(c.getProtocolMappers().get(1)).satisfies(m -> {
            assertThat(m.getProtocolMapper()).isEqualTo("oidc-audience-mapper");
            assertThat(m.getConfig()).containsEntry("included.custom.audience", "starling-control-plane")
                    .containsEntry("access.token.claim", "true");
        });
    }

    @Test
    void anUnreachableKeycloakIsReportedAsUnavailable() {
        // %test.starling.fleet.keycloak.server-url points at a closed port.
        assertThatThrownBy(() -> keycloak.create("some-agent"))
                .isInstanceOf(DomainException.Unavailable.class)
                .hasMessageContaining("could not create client starling-agent-some-agent")
                .hasMessageContaining("http://127.0.0.1:1");
        assertThatThrownBy(() -> keycloak.disable("starling-agent-some-agent"))
                .isInstanceOf(DomainException.Unavailable.class)
                .hasMessageContaining("could not disable client");
    }
}
