package io.starling.agent.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The JSON of the agent's state files: indented so that an operator can read them, instants as
 * ISO-8601 text, and unknown members ignored, so that an older agent started on a newer agent's
 * state (a downgrade) still reads what it knows.
 */
final class StateJson {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private StateJson() {
    }

    /**
     * @throws IOException naming the file if it exists but is not what it should be: a state file
     *                     that cannot be read must stop the agent, never be taken as empty (an
     *                     empty installed list would forget the sequences that prevent rollback)
     */
    static <T> Optional<T> read(Path file, Class<T> type) throws IOException {
        return read(file, type, false);
    }

    /** @param secret the file holds a secret: the parser's message, which may quote it, is left out */
    static <T> Optional<T> read(Path file, Class<T> type, boolean secret) throws IOException {
        Optional<byte[]> bytes = AtomicFiles.read(file);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(MAPPER.readValue(bytes.get(), type));
        } catch (IOException e) {
            String why = secret ? "" : ": " + e.getMessage();
            throw new IOException(file + " is not a valid " + type.getSimpleName() + why, secret ? null : e);
        }
    }

    static void write(Path file, Object value, boolean ownerOnly) throws IOException {
        AtomicFiles.write(file, MAPPER.writeValueAsBytes(value), ownerOnly);
    }
}
