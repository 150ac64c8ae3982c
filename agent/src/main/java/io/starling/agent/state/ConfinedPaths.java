package io.starling.agent.state;

import io.starling.protocol.names.NameRules;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The one way the agent turns names it was sent (a deployment id, a product, a version, an
 * artifact) into a path under one of its folders. Names are checked where they arrive; this is
 * the second line, where a name becomes a folder that is created, written, seeded or deleted:
 * every segment must be one plain name, the normalised result must stay strictly under the root,
 * and no existing folder between the root and the result may be a symbolic link (a link planted
 * there would carry a later create or delete outside the root).
 */
public final class ConfinedPaths {

    private ConfinedPaths() {
    }

    /** A derived path that would leave its root. */
    public static final class EscapeException extends RuntimeException {
        EscapeException(String message) {
            super(message);
        }
    }

    /**
     * {@code root/segments[0]/segments[1]/…}, absolute and normalised.
     *
     * @throws EscapeException naming the first offending segment or link
     */
    public static Path under(Path root, String... segments) {
        Path base = root.toAbsolutePath().normalize();
        Path path = base;
        for (String segment : segments) {
            if (segment == null || segment.isEmpty() || segment.equals(".") || segment.equals("..")
                    || segment.indexOf('/') >= 0 || segment.indexOf('\\') >= 0 || segment.indexOf('\0') >= 0
                    || Path.of(segment).isAbsolute() || Path.of(segment).getNameCount() != 1) {
                throw new EscapeException("'" + NameRules.printable(segment) + "' is not a plain name under " + base);
            }
            path = path.resolve(segment);
        }
        path = path.normalize();
        if (!path.startsWith(base) || path.equals(base)) {
            throw new EscapeException(path + " is not under " + base);
        }
        Path at = base;
        for (Path part : base.relativize(path)) {
            at = at.resolve(part);
            if (Files.isSymbolicLink(at)) {
                throw new EscapeException(at + " is a symbolic link; refusing to follow it out of " + base);
            }
            if (!Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
                break;
            }
        }
        return path;
    }
}
