package io.starling.controlplane.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The control plane's wording of the shared name rules: what an admin reads in a 400. */
class NamesTest {

    @Test
    void aRefusedProductNameSaysTheRuleAndShowsTheNameWithoutControlCharacters() {
        assertThatThrownBy(() -> Names.product("../etc\n"))
                .isInstanceOf(DomainException.Invalid.class)
                .hasMessage("Invalid product name '../etc\\u000a': 1 to 64 characters: a-z, 0-9, '.', '_', '-', "
                        + "starting with a letter or digit, and no '..'.");
    }

    @Test
    void eachKindOfNameIsRefusedUnderItsOwnName() {
        assertThatThrownBy(() -> Names.version("1..2")).hasMessageStartingWith("Invalid version '1..2': 1 to 64 characters: A-Z");
        assertThatThrownBy(() -> Names.site("Berlin")).hasMessageStartingWith("Invalid site name 'Berlin': 1 to 64");
        assertThatThrownBy(() -> Names.label("a/b")).hasMessageStartingWith("Invalid label 'a/b'");
        assertThatThrownBy(() -> Names.file("_x")).hasMessageStartingWith("Invalid file name '_x': 1 to 128 characters");
        assertThatThrownBy(() -> Names.product(null)).hasMessageStartingWith("Invalid product name '':");
    }

    @Test
    void validNamesComeBackUnchanged() {
        assertThat(Names.product("editor")).isEqualTo("editor");
        assertThat(Names.version("1.2.0-RC1+7")).isEqualTo("1.2.0-RC1+7");
        assertThat(Names.file("setup.tar.gz")).isEqualTo("setup.tar.gz");
    }
}
