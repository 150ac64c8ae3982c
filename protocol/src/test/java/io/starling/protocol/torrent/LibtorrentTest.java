package io.starling.protocol.torrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.libtorrent4j.SettingsPack;
import org.libtorrent4j.swig.settings_pack;

class LibtorrentTest {

    @Test
    void anotherPlatformIsRefusedWithWhatToDoAboutIt() {
        assertThatThrownBy(() -> Libtorrent.requireSupportedPlatform("Mac OS X", "aarch64", "Set x.enabled=false."))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Linux x86_64 only")
                .hasMessageContaining("Mac OS X aarch64")
                .hasMessageEndingWith("Mac OS X aarch64. Set x.enabled=false.");
        assertThatThrownBy(() -> Libtorrent.requireSupportedPlatform("Linux", "aarch64", ""))
                .hasMessageEndingWith("Linux aarch64.");
        assertThatCode(() -> Libtorrent.requireSupportedPlatform("Linux", "amd64", "")).doesNotThrowAnyException();
    }

    @Test
    void loadingFromManyThreadsLoadsOnce() {
        CompletableFuture.allOf(IntStream.range(0, 8)
                .mapToObj(i -> CompletableFuture.runAsync(Libtorrent::load))
                .toArray(CompletableFuture[]::new)).join();
        Path library = Path.of(System.getProperty("libtorrent4j.jni.path"));
        assertThat(library).isRegularFile();
        assertThat(library.getParent().toFile().getName()).startsWith("starling-libtorrent4j-");
        assertThat(org.libtorrent4j.LibTorrent.version()).startsWith("2.0.6");
        assertThat(Files.isReadable(library)).isTrue();
    }

    @Test
    void settingsNamedAsInLibtorrentAreAppliedWithTheirTypes() {
        SettingsPack sp = new SettingsPack();
        Libtorrent.applyNamed(sp, Map.of("unchoke_slots_limit", "3", "enable_outgoing_utp", "false",
                "user_agent", "Starling-test"));
        assertThat(sp.getInteger(settings_pack.int_types.unchoke_slots_limit.swigValue())).isEqualTo(3);
        assertThat(sp.getBoolean(settings_pack.bool_types.enable_outgoing_utp.swigValue())).isFalse();
        assertThat(sp.getString(settings_pack.string_types.user_agent.swigValue())).isEqualTo("Starling-test");
    }

    @Test
    void anUnknownSettingOrAValueOfTheWrongTypeIsRefusedByName() {
        SettingsPack sp = new SettingsPack();
        assertThatThrownBy(() -> Libtorrent.applyNamed(sp, Map.of("unchoke_slots", "3")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no setting 'unchoke_slots'");
        assertThatThrownBy(() -> Libtorrent.applyNamed(sp, Map.of("unchoke_slots_limit", "many")))
                .hasMessageContaining("unchoke_slots_limit takes a whole number, not 'many'");
        assertThatThrownBy(() -> Libtorrent.applyNamed(sp, Map.of("enable_outgoing_utp", "no")))
                .hasMessageContaining("enable_outgoing_utp takes true or false");
    }
}
