package io.starling.agent.state;

import io.starling.protocol.agent.SignedAssignment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The newest signed assignment the agent accepted, in {@value #FILE_NAME} in the state folder,
 * replaced atomically: after a restart, an answer older than it is still recognised as a replay.
 * Kept as signed, so that an operator can check it with the manifest key.
 */
public final class AssignmentStore {

    public static final String FILE_NAME = "assignment.json";

    private final Path file;

    public AssignmentStore(Path stateDir) {
        this.file = stateDir.resolve(FILE_NAME);
    }

    /** @throws IOException if the file exists but is not a stored assignment */
    public Optional<SignedAssignment> load() throws IOException {
        return StateJson.read(file, SignedAssignment.class);
    }

    public void save(SignedAssignment accepted) throws IOException {
        StateJson.write(file, accepted, false);
    }
}
