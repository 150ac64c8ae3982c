package io.starling.agent.verify;

import static io.starling.protocol.manifest.ManifestRejectedException.Reason.BAD_ARTIFACT;

import io.starling.protocol.manifest.ArtifactEntry;
import io.starling.protocol.manifest.Manifest;
import io.starling.protocol.manifest.ManifestRejectedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Whether a downloaded file is the artifact the signed manifest describes. The size is checked
 * first, so that no amount of extra data is ever hashed; the SHA-256 is then streamed, so that a
 * file of any size costs one buffer of memory.
 */
public final class ArtifactCheck {

    private static final int BUFFER = 1 << 20;

    private ArtifactCheck() {
    }

    /**
     * @throws ManifestRejectedException BAD_ARTIFACT, its message starting with the artifact's
     *                                   name, if the file is missing, not a regular file, or not
     *                                   the bytes the manifest names
     * @throws IOException               if the file exists but cannot be read
     */
    public static void verify(ArtifactEntry entry, Path file) throws IOException {
        String name = entry.name();
        // A symbolic link could point anywhere, and at something that changes after this check.
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw rejected(name, Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? "not a regular file" : "missing");
        }
        long size = Files.size(file);
        if (size != entry.size()) {
            throw rejected(name, size + " bytes, the manifest says " + entry.size());
        }
        MessageDigest sha256 = sha256();
        long read = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
            int n;
            while ((n = channel.read(buffer)) >= 0) {
                read += n;
                if (read > entry.size()) {
                    throw rejected(name, "grew beyond " + entry.size() + " bytes while it was checked");
                }
                buffer.flip();
                sha256.update(buffer);
                buffer.clear();
            }
        } catch (NoSuchFileException e) {
            throw rejected(name, "missing");
        }
        if (read != entry.size()) {
            throw rejected(name, "shrank to " + read + " bytes while it was checked");
        }
        String actual = HexFormat.of().formatHex(sha256.digest());
        if (!actual.equals(entry.sha256())) {
            throw rejected(name, "SHA-256 is " + actual + ", the manifest says " + entry.sha256());
        }
    }

    /** Checks every artifact of {@code manifest}, each in {@code folder} under its own name. */
    public static void verifyAll(Manifest manifest, Path folder) throws IOException {
        for (ArtifactEntry entry : manifest.artifacts()) {
            verify(entry, folder.resolve(entry.name()));
        }
    }

    private static ManifestRejectedException rejected(String name, String why) {
        return new ManifestRejectedException(BAD_ARTIFACT, name + ": " + why);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
