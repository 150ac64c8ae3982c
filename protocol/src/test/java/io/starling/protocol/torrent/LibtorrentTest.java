package io.starling.protocol.torrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

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
}
