package io.starling.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The control plane's image definition agrees with the manifests that run it. No container
 * engine runs here, so the image is not built; this reads its Dockerfile.
 */
class ContainerImageTest {

    static final Path DOCKERFILE = ControlPlaneConfig.REPO.resolve("control-plane/src/main/docker/Dockerfile.jvm");

    @Test
    void theBaseImageIsPinnedToAVersion() throws IOException {
        List<String> from = instructions("FROM");

        assertThat(from).isNotEmpty().allSatisfy(image -> assertThat(image)
                .as("a version tag or a digest").matches(".+(@sha256:[0-9a-f]{64}|:[0-9][\\w.-]*)").doesNotEndWith(":latest"));
    }

    @Test
    void theImageRunsAsTheNonRootUserTheDeploymentNames() throws IOException {
        List<String> user = instructions("USER");
        String deployment = Files.readString(ManifestsTest.K8S.resolve("base/deployment.yaml"));
        Matcher runAsUser = Pattern.compile("runAsUser: (\\d+)").matcher(deployment);

        assertThat(runAsUser.find()).isTrue();
        assertThat(user).as("the last USER is numeric, so that runAsNonRoot can check it").last().asString()
                .matches("\\d+(:\\d+)?").startsWith(runAsUser.group(1) + ":").doesNotStartWith("0");
    }

    @Test
    void theImageExposesThePortsTheDeploymentDeclares() throws IOException {
        String exposed = String.join(" ", instructions("EXPOSE"));

        assertThat(exposed.split(" ")).contains("8080", "9000", "6881", "6881/udp");
    }

    private static List<String> instructions(String keyword) throws IOException {
        return Files.readAllLines(DOCKERFILE).stream().filter(l -> l.startsWith(keyword + " "))
                .map(l -> l.substring(keyword.length() + 1).trim()).toList();
    }
}
