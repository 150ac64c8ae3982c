package io.starling.agent.state;

import io.starling.protocol.keys.SignedKeySet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Keeps the newest key set the agent took ({@value #FILE_NAME}), exactly as the root signed it:
 * it is checked against the pinned root again at every start, so an edited file is refused, not trusted.
 */
public final class KeySetStore {

    public static final String FILE_NAME = "keyset.json";

    private final Path file;

    public KeySetStore(Path stateDir) {
        this.file = stateDir.resolve(FILE_NAME);
    }

    public synchronized Optional<SignedKeySet> load() throws IOException {
        return StateJson.read(file, SignedKeySet.class);
    }

    public synchronized void save(SignedKeySet keySet) throws IOException {
        AtomicFiles.createFolder(file.toAbsolutePath().getParent(), true);
        StateJson.write(file, keySet, false);
    }
}
