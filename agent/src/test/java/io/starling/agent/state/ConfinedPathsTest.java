package io.starling.agent.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfinedPathsTest {

    @TempDir
    Path dir;

    @Test
    void plainNamesStayUnderTheRoot() {
        Path root = dir.resolve("downloads");
        assertThat(ConfinedPaths.under(root, "editor", "2.4.1")).isEqualTo(root.resolve("editor/2.4.1").toAbsolutePath());
        assertThat(ConfinedPaths.under(root, "a..b")).isEqualTo(root.resolve("a..b").toAbsolutePath());
    }

    @Test
    void noSegmentLeadsOutOfTheRootOrOntoIt() {
        Path root = dir.resolve("downloads");
        for (String trick : List.of("..", ".", "", "../../etc", "a/b", "a/../..", "/etc", dir.toString(), "a\\b", "a\0b")) {
            assertThatThrownBy(() -> ConfinedPaths.under(root, "editor", trick)).as(trick)
                    .isInstanceOf(ConfinedPaths.EscapeException.class);
        }
        assertThatThrownBy(() -> ConfinedPaths.under(root, (String) null)).isInstanceOf(ConfinedPaths.EscapeException.class);
        assertThatThrownBy(() -> ConfinedPaths.under(root)).as("the root itself").isInstanceOf(ConfinedPaths.EscapeException.class);
    }

    @Test
    void aSymbolicLinkPlantedUnderTheRootIsNotFollowed() throws Exception {
        Path root = Files.createDirectories(dir.resolve("downloads"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createSymbolicLink(root.resolve("editor"), elsewhere);

        assertThatThrownBy(() -> ConfinedPaths.under(root, "editor", "2.4.1"))
                .isInstanceOf(ConfinedPaths.EscapeException.class).hasMessageContaining("symbolic link");
    }
}
