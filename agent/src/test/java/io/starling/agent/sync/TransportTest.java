package io.starling.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransportTest {

    @TempDir
    Path dir;

    @Test
    void loopbackMeansLocalhostOr127SlashEightOrColonColonOneWrittenOut() {
        assertThat(Transport.loopback("127.0.0.1")).isTrue();
        assertThat(Transport.loopback("127.20.30.40")).isTrue();
        assertThat(Transport.loopback("[::1]")).isTrue();
        assertThat(Transport.loopback("localhost")).isTrue();
        assertThat(Transport.loopback("LocalHost")).isTrue();

        assertThat(Transport.loopback("10.0.0.1")).isFalse();
        assertThat(Transport.loopback("128.0.0.1")).isFalse();
        assertThat(Transport.loopback("127.0.0.256")).isFalse();
        assertThat(Transport.loopback("127.0.0.1.example.com")).isFalse();
        assertThat(Transport.loopback("localhost.example.com")).isFalse();
        assertThat(Transport.loopback("[fe80::1]")).isFalse();
        assertThat(Transport.loopback("starling.example.com")).isFalse();
    }

    @Test
    void plainHttpToAnotherMachineIsRefusedSayingWhyAndWhatToDo() {
        assertThatThrownBy(() -> Transport.defaults().require(URI.create("http://10.0.0.5:8080"), "--server"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--server http://10.0.0.5:8080 is plain http to another machine")
                .hasMessageContaining("Use https://").hasMessageContaining("--insecure");
    }

    @Test
    void plainHttpOnLoopbackHttpsAnywhereAndHttpWithInsecureAreAllowed() {
        assertThat(Transport.defaults().require(URI.create("http://127.0.0.1:8080"), "--server")).hasPort(8080);
        assertThat(Transport.defaults().require(URI.create("http://[::1]:8080"), "--server")).hasPort(8080);
        assertThat(Transport.defaults().require(URI.create("https://starling.example.com"), "--server"))
                .hasHost("starling.example.com");
        assertThat(Transport.of(Optional.empty(), true).require(URI.create("http://10.0.0.5:8080"), "--server"))
                .hasHost("10.0.0.5");
    }

    @Test
    void aMissingBundleIsNamed() {
        Path missing = dir.resolve("missing.pem");

        assertThatThrownBy(() -> Transport.of(Optional.of(missing), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("CA bundle " + missing + " does not exist");
    }

    @Test
    void aBundleWithoutCertificatesIsRefused() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n");

        assertThatThrownBy(() -> Transport.of(Optional.of(empty), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds no certificate");
        assertThatThrownBy(() -> Transport.of(Optional.of(key), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("CA bundle " + key);
    }
}
