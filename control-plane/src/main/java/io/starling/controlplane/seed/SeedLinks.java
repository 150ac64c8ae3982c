package io.starling.controlplane.seed;

import io.starling.protocol.torrent.ResumeFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.libtorrent4j.TorrentHandle;

/**
 * What the origin seeder seeds now, by v1 info-hash, and the seed data folder where libtorrent
 * finds each blob: {@code <data>/<info-hash>/<name>}, a link into the blob store (see {@link #link}).
 * Changed on the seeder's worker thread only; read from any.
 */
final class SeedLinks {

    private static final Logger LOG = Logger.getLogger(SeedLinks.class);

    /** One seeded torrent: the handle is the one the synchronous add returned, ours to keep. */
    record Seeded(OriginArtifact artifact, TorrentHandle handle, Path dataFile) {
    }

    private final Path dataDir;
    private final Map<String, Seeded> seeded = new ConcurrentHashMap<>();

    SeedLinks(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** Links the artifact's blob where libtorrent will look for it; returns that folder. */
    Path link(OriginArtifact a) throws IOException {
        Path dir = dataDir.resolve(a.infoHashV1());
        link(a.blob(), dir.resolve(a.name()));
        return dir;
    }

    void put(Seeded s) {
        seeded.put(s.artifact().infoHashV1(), s);
    }

    Seeded get(String infoHashV1) {
        return seeded.get(infoHashV1);
    }

    boolean contains(String infoHashV1) {
        return seeded.containsKey(infoHashV1);
    }

    Seeded remove(String infoHashV1) {
        return seeded.remove(infoHashV1);
    }

    int size() {
        return seeded.size();
    }

    Set<String> infoHashes() {
        return Set.copyOf(seeded.keySet());
    }

    /** A snapshot. */
    List<Seeded> all() {
        return List.copyOf(seeded.values());
    }

    /** Deletes the link and its folder; the blob stays. */
    static void unlink(Seeded s) throws IOException {
        Files.deleteIfExists(s.dataFile());
        Files.deleteIfExists(s.dataFile().getParent());
    }

    /**
     * Deletes resume data, links and folders of torrents neither in {@code keep} nor seeded now:
     * left behind by a revocation while the server was down, or by an earlier database.
     *
     * @return how many torrents were forgotten
     */
    int forgetAllBut(Set<String> keep, ResumeFiles resumeFiles) {
        Set<String> forgotten = new HashSet<>();
        try {
            for (String ih : resumeFiles.infoHashes()) {
                if (!keep.contains(ih) && !seeded.containsKey(ih)) {
                    Files.deleteIfExists(resumeFiles.file(ih));
                    forgotten.add(ih);
                }
            }
        } catch (IOException e) {
            LOG.warnf("Cannot clean the resume folder: %s", e.getMessage());
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(dataDir)) {
            for (Path d : dirs) {
                String ih = d.getFileName().toString();
                if (OriginArtifact.INFO_HASH_V1.matcher(ih).matches() && !keep.contains(ih) && !seeded.containsKey(ih)
                        && Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                    try (DirectoryStream<Path> links = Files.newDirectoryStream(d)) {
                        for (Path link : links) {
                            Files.deleteIfExists(link); // a link: the blob stays
                        }
                    }
                    Files.deleteIfExists(d);
                    forgotten.add(ih);
                }
            }
        } catch (IOException e) {
            LOG.warnf("Cannot clean the seed data folder: %s", e.getMessage());
        }
        return forgotten.size();
    }

    /**
     * Puts the blob where libtorrent looks for the file: {@code <save_path>/<name>}. A hard link
     * costs no space, is an ordinary file to libtorrent (no absolute {@code renamed_files} in
     * resume data, nothing that {@code move_storage} or {@code delete_files} could turn against
     * the blob store), and keeps the inode readable while seeding even if the blob store drops
     * its own name. Hard links need one file system; across file systems a symbolic link does the
     * same job. libtorrent never writes through either: torrents are in upload mode, and the
     * blob has exactly the size the torrent expects, so storage initialisation truncates nothing.
     */
    static void link(Path blob, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.exists(target) && Files.isSameFile(target, blob)) {
                return;
            }
            Files.delete(target);
        }
        try {
            Files.createLink(target, blob);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debugf("No hard link from %s to %s (%s); using a symbolic link", target, blob, e.getMessage());
            Files.createSymbolicLink(target, blob.toAbsolutePath());
        }
    }
}
