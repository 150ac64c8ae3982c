package io.starling.agent.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Keeps the agent's {@link AgentIdentity} in {@value #FILE_NAME} in the state folder, readable by
 * the agent's user only (file 0600, folder 0700): it holds the client secret and the passkey.
 */
public final class AgentIdentityStore {

    public static final String FILE_NAME = "identity.json";

    private static final Logger LOG = Logger.getLogger(AgentIdentityStore.class);
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    private final Path file;

    public AgentIdentityStore(Path stateDir) {
        this.file = stateDir.resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    /**
     * The saved identity, or empty if this agent has not enrolled. A file that others can read is
     * narrowed to 0600 (and said so in the log), since the secret may already have leaked.
     */
    public synchronized Optional<AgentIdentity> load() throws IOException {
        Optional<AgentIdentity> identity = StateJson.read(file, AgentIdentity.class, true);
        if (identity.isPresent() && AtomicFiles.posix()) {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (!OWNER_FILE.containsAll(mode)) {
                LOG.warnf("%s was readable beyond its owner (%s); narrowed to rw-------. Consider re-enrolling.",
                        file, PosixFilePermissions.toString(mode));
                Files.setPosixFilePermissions(file, OWNER_FILE);
            }
        }
        return identity;
    }

    public synchronized void save(AgentIdentity identity) throws IOException {
        AtomicFiles.createFolder(file.toAbsolutePath().getParent(), true);
        AtomicFiles.removeLeftovers(file);
        StateJson.write(file, identity, true);
    }

    /** Forgets the identity (before enrolling again). */
    public synchronized void delete() throws IOException {
        Files.deleteIfExists(file);
    }
}
