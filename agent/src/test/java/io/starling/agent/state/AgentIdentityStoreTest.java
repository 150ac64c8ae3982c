package io.starling.agent.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.starling.protocol.agent.EnrollResponse;
import io.starling.protocol.agent.TrustedKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentIdentityStoreTest {

    @TempDir
    Path dir;

    private static AgentIdentity identity() {
        EnrollResponse enrolled = new EnrollResponse("agent-7", "starling-agent-7", "s3cr3t-value",
                "https://sso.example.com/realms/starling/protocol/openid-connect/token", "pk-abc",
                List.of(new TrustedKey("0123456789abcdef", "-----BEGIN PUBLIC KEY-----\nMCow\n-----END PUBLIC KEY-----\n")),
                "berlin", List.of("floor-2"));
        return AgentIdentity.of("https://starling.example.com", enrolled);
    }

    @Test
    void anEnrolledIdentitySurvivesARestart() throws Exception {
        Path state = dir.resolve("state");
        new AgentIdentityStore(state).save(identity());

        assertThat(new AgentIdentityStore(state).load()).contains(identity());
    }

    @Test
    void anAgentThatNeverEnrolledHasNoIdentity() throws Exception {
        assertThat(new AgentIdentityStore(dir).load()).isEmpty();
    }

    @Test
    void onlyTheAgentsUserCanReadTheIdentity() throws Exception {
        assumeTrue(AtomicFiles.posix());
        Path state = dir.resolve("state");
        AgentIdentityStore store = new AgentIdentityStore(state);
        store.save(identity());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
    }

    @Test
    void anIdentityFileOthersCouldReadIsNarrowedOnLoad() throws Exception {
        assumeTrue(AtomicFiles.posix());
        AgentIdentityStore store = new AgentIdentityStore(dir);
        store.save(identity());
        Files.setPosixFilePermissions(store.file(), PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(store.load()).contains(identity());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
    }

    @Test
    void theSecretNeverAppearsInLogText() {
        assertThat(identity().toString()).doesNotContain("s3cr3t-value").doesNotContain("pk-abc").contains("agent-7");
    }

    @Test
    void aCorruptIdentityFileIsAnErrorThatDoesNotQuoteIt() throws Exception {
        AgentIdentityStore store = new AgentIdentityStore(dir);
        Files.writeString(store.file(), "{\"clientSecret\": s3cr3t-value");

        org.assertj.core.api.Assertions.assertThatIOException().isThrownBy(store::load)
                .withMessageContaining(AgentIdentityStore.FILE_NAME)
                .withMessageNotContaining("s3cr3t");
    }
}
