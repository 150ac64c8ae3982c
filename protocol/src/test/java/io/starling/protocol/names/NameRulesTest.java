package io.starling.protocol.names;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NameRulesTest {

    /** What a hostile control plane might send for a name that becomes a folder. */
    static final List<String> PATH_TRICKS = List.of("..", ".", "../../..", "../../../etc", "a/b", "a\\b", "/etc",
            "/", "", " ", "a..b", "-rf", ".hidden", "a\u0000b", "a\nb", "C:\\Windows", "x".repeat(129));

    @Test
    void noPathTrickIsAProductAVersionAFileOrAnId() {
        for (String trick : PATH_TRICKS) {
            assertThat(NameRules.isProduct(trick)).as("product %s", trick).isFalse();
            assertThat(NameRules.isVersion(trick)).as("version %s", trick).isFalse();
            assertThat(NameRules.isFile(trick)).as("file %s", trick).isFalse();
            assertThat(NameRules.isId(trick)).as("id %s", trick).isFalse();
        }
        assertThat(NameRules.isProduct(null)).isFalse();
        assertThat(NameRules.isVersion(null)).isFalse();
        assertThat(NameRules.isId(null)).isFalse();
    }

    @Test
    void ordinaryNamesPass() {
        assertThat(NameRules.isProduct("editor")).isTrue();
        assertThat(NameRules.isProduct("office-suite_2.x")).isTrue();
        assertThat(NameRules.isProduct("Editor")).as("products are lower case").isFalse();
        assertThat(NameRules.isVersion("2.4.1")).isTrue();
        assertThat(NameRules.isVersion("1.2.0-RC1+build.7")).isTrue();
        assertThat(NameRules.isVersion("x".repeat(64))).isTrue();
        assertThat(NameRules.isFile("setup-2.4.1.tar.gz")).isTrue();
    }

    @Test
    void anIdIsACanonicalUuidOnly() {
        assertThat(NameRules.isId("3f2c1a4e-9b7d-4c2e-8f1a-0b9c8d7e6f5a")).isTrue();
        assertThat(NameRules.isId("3F2C1A4E-9B7D-4C2E-8F1A-0B9C8D7E6F5A")).as("one spelling per id").isFalse();
        assertThat(NameRules.isId("1-2-3-4-5")).as("UUID.fromString takes it; we do not").isFalse();
        assertThat(NameRules.isId("3f2c1a4e-9b7d-4c2e-8f1a-0b9c8d7e6f5a/..")).isFalse();
    }

    @Test
    void printableEscapesControlCharactersAndShortensLongValues() {
        assertThat(NameRules.printable("a\nforged log line")).isEqualTo("a\\u000aforged log line");
        assertThat(NameRules.printable("x".repeat(100))).isEqualTo("x".repeat(80) + "…");
        assertThat(NameRules.printable(null)).isEmpty();
    }
}
