package io.starling.agent.install;

import io.starling.agent.state.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.jboss.logging.Logger;

/** A product's {@code current} link: what it points at, swapped atomically, and put back after a failed activation. */
final class CurrentLink {

    private static final Logger LOG = Logger.getLogger(CurrentLink.class);

    private final Path productDir;
    private final Path link;

    CurrentLink(Path productDir) {
        this.productDir = productDir;
        this.link = productDir.resolve(Installer.CURRENT);
    }

    /** The link's relative target, when there is a link. */
    Optional<Path> target() throws IOException {
        if (!Files.isSymbolicLink(link)) {
            return Optional.empty();
        }
        return Optional.of(Files.readSymbolicLink(link));
    }

    /** Swaps the link to {@code target} in one rename(2): no moment without a link, or with a dangling one. */
    void pointAt(Path target) throws IOException {
        Path temp = productDir.resolve(FileTrees.temporaryName(".current-"));
        try {
            Files.createSymbolicLink(temp, target);
            Files.move(temp, link, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        AtomicFiles.syncFolder(productDir);
    }

    /** Puts the link back as it was, and removes the failed release unless it is what the link shows again. */
    void restore(Path previousTarget, Path failed) {
        try {
            if (previousTarget == null) {
                Files.deleteIfExists(link);
                AtomicFiles.syncFolder(productDir);
            } else {
                pointAt(previousTarget);
            }
        } catch (IOException e) {
            LOG.errorf(e, "Could not point %s back at %s", link, previousTarget);
            return;
        }
        if (previousTarget == null || !failed.equals(productDir.resolve(previousTarget).normalize())) {
            FileTrees.deleteQuietly(failed);
        }
    }
}
