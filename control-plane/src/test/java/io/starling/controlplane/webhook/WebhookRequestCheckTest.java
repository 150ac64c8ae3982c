package io.starling.controlplane.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookRequestCheckTest {

    @Test
    void absoluteHttpAndHttpsUrlsWithAHostAreAccepted() {
        assertThat(WebhookRequestCheck.url("https://chat.example.com/hooks/T0/B0/abc?x=1")).isNull();
        assertThat(WebhookRequestCheck.url("http://10.0.0.5:8080/hook")).isNull();
        assertThat(WebhookRequestCheck.url("HTTPS://chat.example.com/")).isNull();
    }

    @Test
    void otherSchemesRelativeUrlsCredentialsAndFragmentsAreRefused() {
        for (String bad : List.of("ftp://example.com/x", "file:///etc/passwd", "javascript:alert(1)", "/relative",
                "https://", "https://user:pw@example.com/x", "https://example.com/x#frag", "https://exa mple.com/")) {
            assertThat(WebhookRequestCheck.url(bad)).as(bad).startsWith("must be an absolute http:// or https:// URL");
        }
        assertThat(WebhookRequestCheck.url(null)).startsWith("required");
        assertThat(WebhookRequestCheck.url("https://example.com/" + "a".repeat(2100))).contains("at most 2048");
    }

    @Test
    void eventsMustBeKnownFeedTypesEachOnce() {
        assertThat(WebhookRequestCheck.events(List.of("rollout", "wave", "deployment", "summary"))).isNull();
        assertThat(WebhookRequestCheck.events(List.of())).startsWith("must list at least one of rollout");
        assertThat(WebhookRequestCheck.events(List.of("rollout", "ping"))).startsWith("1 of 2 are not event types");
        assertThat(WebhookRequestCheck.events(List.of("wave", "wave"))).isEqualTo("must not list a type twice");
    }
}
