package io.starling.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console in a real browser: Debian's chromium driven by playwright-core (admin-ui/e2e/console.mjs)
 * against the packaged control plane, which serves the console built into it, and the real Keycloak,
 * whose own login page the script signs in through. Two agents on loopback give the rollout
 * something to install.
 */
class ConsoleIT {

    private static final Path REPO = Path.of(System.getProperty("starling.repo", "..")).toAbsolutePath().normalize();
    private static final Path UI = REPO.resolve("admin-ui");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private static Keycloak keycloak;
    private static ControlPlaneProcess controlPlane;
    private static AutoCloseable redirects;
    private static final List<AgentProcess> agents = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        // CI installs chromium (.ci/run); there a missing browser is a failure, never a silent skip.
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (!ci) {
            Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
                    "ConsoleIT needs Debian's chromium at " + CHROMIUM + " (apt-get install chromium); skipped");
        }
        assertThat(CHROMIUM).as("chromium (CI=true: .ci/run installs it)").isExecutable();
        assertThat(UI.resolve("node_modules/playwright-core"))
                .as("playwright-core, installed by the admin-ui build's npm ci (do not build with -Dui.skip)").isDirectory();
        keycloak = Keycloak.ensureRunning(REPO);
        Path work = Files.createTempDirectory("starling-console");
        // Agents check in every 2 s (60 s in production), so the rollout moves while the browser watches.
        controlPlane = new ControlPlaneProcess(REPO, Files.createDirectories(work.resolve("control-plane")))
                .start("-Dstarling.fleet.check-in-interval=2s");
        redirects = keycloak.allowConsoleAt(controlPlane.url());
        ControlPlaneApi api = new ControlPlaneApi(controlPlane::url, keycloak);
        api.post("/sites", Map.of("name", "loopback", "cidrs", List.of("127.0.0.0/8")), 201);
        String enrollment = api.enrollmentToken(2);
        for (String name : List.of("a1", "a2")) {
            AgentProcess agent = new AgentProcess(REPO, work.resolve(name));
            agents.add(agent);
            agent.enroll(controlPlane.url(), enrollment).start();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (AgentProcess agent : agents) {
            agent.close();
        }
        if (redirects != null) {
            redirects.close();
        }
        if (controlPlane != null) {
            controlPlane.close();
        }
        if (keycloak != null) {
            keycloak.close();
        }
    }

    @Test
    void anAdminPublishesAndRollsOutAReleaseInTheBrowserAndAViewerIsOfferedNothingThatChangesState() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("CONSOLE_URL", controlPlane.url());
        env.put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        env.put("CHROMIUM", CHROMIUM.toString());
        env.put("CONSOLE_AGENTS", String.valueOf(agents.size()));
        // CONSOLE_SCREENSHOTS (e.g. docs/console) passes through from the build's environment.
        // The script's output goes to a file (Processes.exec): inheriting it would corrupt Failsafe's channel.
        Processes.Result result = Processes.exec(UI, env, Duration.ofSeconds(480), List.of("node", "e2e/console.mjs"));
        assertThat(result.exitCode()).withFailMessage("admin-ui/e2e/console.mjs exited with %d:%n%s%ncontrol plane log:%n%s",
                result.exitCode(), result.output(), tail(controlPlane.log())).isZero();
        System.out.println(result.output());
    }

    private static String tail(String log) {
        return log.length() <= 4000 ? log : log.substring(log.length() - 4000);
    }
}
