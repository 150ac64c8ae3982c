package io.starling.protocol.manifest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.protocol.testing.ManifestBuilder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CanonicalJsonTest {

    private static String json(Object value) {
        return new String(CanonicalJson.write(value), UTF_8);
    }

    @Test
    void manifestIsWrittenCompactWithSortedMembersAndWithoutNulls() {
        Manifest m = ManifestBuilder.manifest().keyId("0123456789abcdef").build();

        assertThat(json(m)).isEqualTo("{\"artifacts\":[{\"infoHashV1\":\"" + "b".repeat(40) + "\",\"infoHashV2\":\""
                + "c".repeat(64) + "\",\"name\":\"editor-2.4.1.tar.gz\",\"pieceLength\":1048576,\"sha256\":\""
                + "a".repeat(64) + "\",\"size\":123456789}],"
                + "\"createdAt\":\"2026-11-27T11:29:20Z\",\"expiresAt\":\"2026-12-27T11:29:20Z\",\"format\":1,"
                + "\"install\":{\"archive\":\"editor-2.4.1.tar.gz\",\"command\":[\"./install.sh\",\"--quiet\"],"
                + "\"healthCheck\":[\"./editor\",\"--version\"]},"
                + "\"keyId\":\"0123456789abcdef\",\"product\":\"editor\",\"sequence\":7,\"version\":\"2.4.1\"}");
    }

    @Test
    void instantsAreWrittenToTheSecondInUtc() {
        assertThat(json(Map.of("t", Instant.parse("2026-11-27T11:29:20.987654Z")))).isEqualTo("{\"t\":\"2026-11-27T11:29:20Z\"}");
    }

    @Test
    void aManifestReadBackFromItsBytesEqualsTheOneWritten() {
        Manifest m = ManifestBuilder.manifest().createdAt(Instant.parse("2026-11-27T11:29:20.5Z")).keyId("0123456789abcdef").build();
        assertThat(CanonicalJson.read(CanonicalJson.write(m), Manifest.class)).isEqualTo(m);
    }

    @Test
    void mapKeysAreSortedByUtf16CodeUnits() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("\uFF61", 1);
        map.put("\uD83D\uDE00", 2);
        map.put("b", 3);
        map.put("B", 4);
        assertThat(json(map)).isEqualTo("{\"B\":4,\"b\":3,\"\uD83D\uDE00\":2,\"\uFF61\":1}");
    }

    @Test
    void stringsAreEscapedAsJcsDoes() {
        String nasty = "\u0000\u0001\b\t\n\u000b\f\r\u001f\"\\/\u007fé\uD83D\uDE00";
        byte[] written = CanonicalJson.write(List.of(nasty));

        assertThat(new String(written, UTF_8))
                .isEqualTo("[\"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f\\\"\\\\/\u007fé\uD83D\uDE00\"]");
        // The emoji as one 4-byte UTF-8 sequence, not as two encoded surrogates.
        assertThat(written).containsSequence(0xf0, 0x9f, 0x98, 0x80);
    }

    @Test
    void floatingPointNumbersAreRefused() {
        assertThatThrownBy(() -> CanonicalJson.write(Map.of("x", 1.5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("integers only");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"a\":1,\"unknown\":2}",
        "{\"a\":1,\"a\":2}",
        "{\"a\":1} {}",
        "{\"a\":1.0}",
        "{\"a\":\"1\"}",
        "{\"a\":1,\"t\":\"2026-11-27T11:29:20.5Z\"}",
        "{\"a\":1,\"t\":\"2026-11-27T12:29:20+01:00\"}",
        "{\"a\":1,\"t\":1795778960}",
        "{\"a\":null}",
        "{\"a\":1,\"s\":5}",
        "{\"a\":1,\"s\":true}",
        "{}",
    })
    void anythingButTheCanonicalSpellingIsRefused(String json) {
        assertThatThrownBy(() -> CanonicalJson.read(json.getBytes(UTF_8), Sample.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not a valid Sample");
    }

    @Test
    void theCanonicalSpellingIsRead() {
        assertThat(CanonicalJson.read("{\"a\":1,\"t\":\"2026-11-27T11:29:20Z\"}".getBytes(UTF_8), Sample.class))
                .isEqualTo(new Sample(1, Instant.parse("2026-11-27T11:29:20Z"), null));
    }

    record Sample(@com.fasterxml.jackson.annotation.JsonProperty(required = true) long a, Instant t, String s) {
    }
}
