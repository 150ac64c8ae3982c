package io.starling.agent.swarm;

import io.starling.agent.state.AtomicFiles;
import io.starling.protocol.torrent.ResumeFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The clean-shutdown marker in the resume folder, and the torrents whose resume data it does not
 * vouch for.
 *
 * <p>libtorrent trusts resume data blindly: a piece it claims is not hashed again
 * (docs/platform-notes.md, "libtorrent4j: resume data"). A clean stop saves resume data for every
 * torrent, flushes the downloaded files to disk and then writes the marker; the next start reads
 * and deletes it. When it was missing, the previous run ended some other way (killed, power cut)
 * and every torrent with resume data is checked against its files as it is added: pieces that
 * hash right are kept, the others downloaded again. Torrents not added again before the next
 * clean stop are listed in the marker and checked whenever they are.
 */
final class CleanShutdown {

    private static final Logger LOG = Logger.getLogger(CleanShutdown.class);

    static final String FILE = "clean-shutdown";

    private final Path dir;
    private final boolean previousRunEndedCleanly;
    /**
     * Torrents whose resume data must not be trusted: every one after a crash. A torrent leaves
     * the set when it is added with a recheck; those not added in this run stay in it, and the
     * marker lists them, so a later run still checks them.
     */
    private final Set<String> untrusted = ConcurrentHashMap.newKeySet();

    private CleanShutdown(Path dir, boolean previousRunEndedCleanly, Collection<String> untrusted) {
        this.dir = dir;
        this.previousRunEndedCleanly = previousRunEndedCleanly;
        this.untrusted.addAll(untrusted);
    }

    /** Reads what the previous run left and deletes the marker, durably, before anything is downloaded. */
    static CleanShutdown read(ResumeFiles resumeFiles) throws IOException {
        Path dir = resumeFiles.folder();
        Path marker = dir.resolve(FILE);
        boolean clean = Files.isRegularFile(marker);
        CleanShutdown c = new CleanShutdown(dir, clean, clean ? infoHashesListedIn(marker) : resumeFiles.infoHashes());
        Files.deleteIfExists(marker);
        // A crash from here on must be seen as one.
        syncFolderQuietly(dir);
        return c;
    }

    boolean previousRunEndedCleanly() {
        return previousRunEndedCleanly;
    }

    /** Logs what a start after an unclean stop is going to check. */
    void warnIfUnclean() {
        if (!previousRunEndedCleanly && !untrusted.isEmpty()) {
            LOG.warnf("The previous run did not stop cleanly (%s is missing): %d torrents are checked against their "
                    + "files as they are added", dir.resolve(FILE), untrusted.size());
        }
    }

    /** Whether a torrent added from resume data must be checked against its files; trusted from then on. */
    boolean recheck(String infoHash) {
        return untrusted.remove(infoHash);
    }

    /** Resume data saved now will not tell the truth (saved mid-check): the next run checks the files. */
    void distrust(String infoHash) {
        untrusted.add(infoHash);
    }

    /** The torrent's resume data is gone: nothing to check. */
    void forget(String infoHash) {
        untrusted.remove(infoHash);
    }

    /**
     * Flushes the downloads' files and the resume folder to disk, then writes the marker listing
     * the torrents still to be checked: those not added since a crash. Only after every
     * torrent's resume data was written.
     */
    void write(Collection<SwarmDownload> downloads) throws IOException {
        for (SwarmDownload d : downloads) {
            fsyncContent(d.path());
        }
        syncFolderQuietly(dir);
        String pending = untrusted.stream().sorted().map(ih -> ih + "\n").collect(Collectors.joining());
        AtomicFiles.write(dir.resolve(FILE), pending.getBytes(StandardCharsets.UTF_8));
    }

    private static void fsyncContent(Path p) throws IOException {
        if (Files.isRegularFile(p)) {
            fsync(p);
        } else if (Files.isDirectory(p)) {
            try (Stream<Path> files = Files.walk(p)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    fsync(f);
                }
            }
        }
    }

    private static void fsync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Makes renames and deletions in the folder durable. */
    private static void syncFolderQuietly(Path dir) {
        try {
            AtomicFiles.syncFolder(dir);
        } catch (IOException e) {
            LOG.debugf("Cannot fsync %s: %s", dir, e.getMessage());
        }
    }

    private static List<String> infoHashesListedIn(Path marker) throws IOException {
        return Files.readAllLines(marker, StandardCharsets.UTF_8).stream()
                .map(String::strip).filter(l -> l.matches("[0-9a-f]{40}")).toList();
    }
}
