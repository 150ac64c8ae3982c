package io.starling.controlplane.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SignatureTest {

    /** The value `printf %s BODY | openssl dgst -sha256 -hmac KEY` prints, so receivers can check with openssl. */
    @Test
    void isTheHexHmacSha256OfTheBodyKeyedWithTheSecret() {
        assertThat(Signature.of("key", "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
    }
}
