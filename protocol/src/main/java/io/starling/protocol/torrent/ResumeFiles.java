package io.starling.protocol.torrent;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.libtorrent4j.Vectors;
import org.libtorrent4j.swig.add_torrent_params;
import org.libtorrent4j.swig.error_code;
import org.libtorrent4j.swig.libtorrent;

/**
 * A folder of libtorrent resume data, one {@code <v1 info-hash>.resume} file per torrent, as the
 * origin seeder and the agent's swarm keep it.
 *
 * <p>libtorrent trusts resume data blindly, so a file is replaced atomically (temporary file,
 * fsync, rename): after a crash it holds the old bytes or the new, never half of each. A file
 * that cannot be read, or that belongs to another torrent, is ignored with a warning: the
 * torrent is then added as if it had none, which costs time but never serves wrong pieces.
 *
 * <p>Not synchronised: each caller reads and writes from its own single thread.
 */
public final class ResumeFiles {

    private static final System.Logger LOG = System.getLogger(ResumeFiles.class.getName());
    private static final String SUFFIX = ".resume";
    private static final String TEMP_SUFFIX = ".tmp";

    private final Path folder;
    private final String withoutResumeData;

    /**
     * Creates the folder if needed and deletes temporary files a crash left between write and
     * rename (nothing else ever reads them).
     *
     * @param withoutResumeData what happens to a torrent whose file is ignored, for the warning
     *                          (for example "libtorrent checks the files instead")
     */
    public static ResumeFiles open(Path folder, String withoutResumeData) throws IOException {
        Files.createDirectories(folder);
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(folder, "*" + TEMP_SUFFIX)) {
            for (Path f : leftovers) {
                Files.deleteIfExists(f);
            }
        }
        return new ResumeFiles(folder, withoutResumeData);
    }

    private ResumeFiles(Path folder, String withoutResumeData) {
        this.folder = folder;
        this.withoutResumeData = withoutResumeData;
    }

    public Path folder() {
        return folder;
    }

    /** What happens to a torrent that has no usable resume data, for warnings. */
    public String withoutResumeData() {
        return withoutResumeData;
    }

    /** Where the resume data of one torrent is kept, whether or not it exists. */
    public Path file(String infoHashV1) {
        return folder.resolve(infoHashV1 + SUFFIX);
    }

    /** The info-hashes that have a resume file, in no particular order. */
    public List<String> infoHashes() throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*" + SUFFIX)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                out.add(name.substring(0, name.length() - SUFFIX.length()));
            }
        }
        return out;
    }

    /**
     * The torrent's resume data, ready to add with; empty when there is none, or with a warning
     * when the file is unreadable (torn by a crash outside this class, edited) or names another
     * torrent (copied or renamed by hand).
     */
    public Optional<add_torrent_params> read(String infoHashV1) {
        Path file = file(infoHashV1);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Libtorrent.load(); // before the first JNI class; a no-op once a session runs
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            return ignored(file, "unreadable (" + e.getMessage() + ")");
        }
        error_code ec = new error_code();
        add_torrent_params p = libtorrent.read_resume_data_ex(Vectors.bytes2byte_vector(data), ec);
        if (ec.value() != 0) {
            return ignored(file, "unreadable (" + ec.message() + ")");
        }
        String owner = p.getInfo_hashes().getV1().to_hex();
        if (!owner.equals(infoHashV1)) {
            return ignored(file, "it belongs to another torrent, " + owner);
        }
        return Optional.of(p);
    }

    private Optional<add_torrent_params> ignored(Path file, String why) {
        LOG.log(Level.WARNING, "Ignoring resume data {0}: {1}; {2}", file, why, withoutResumeData);
        return Optional.empty();
    }

    /**
     * Replaces the torrent's resume data with {@code data} (from {@code write_resume_data_buf});
     * a failure is logged, not thrown: the torrent keeps running, and the next start does without.
     * The rename is made durable by whoever fsyncs the folder; until then a crash leaves the old file.
     */
    public void write(String infoHashV1, byte[] data) {
        Path file = file(infoHashV1);
        try {
            writeAtomically(file, data);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Cannot write resume data {0}: {1}", file, e.getMessage());
        }
    }

    private static void writeAtomically(Path file, byte[] data) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), TEMP_SUFFIX);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(data);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                ch.force(true); // before the rename: otherwise a crash can leave the new name on empty blocks
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp); // only there when the write or the rename failed
        }
    }
}
