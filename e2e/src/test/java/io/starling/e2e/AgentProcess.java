package io.starling.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One packaged agent ({@code starling-agent-…-runner.jar}) as its own process, with its own state
 * folder, install root and swarm port on loopback, configured the way an operator would: through
 * {@code STARLING_AGENT_*} environment variables.
 */
public final class AgentProcess implements AutoCloseable {

    private final Path jar;
    private final Path home;
    private final int port;
    private final Map<String, String> env = new HashMap<>();
    private final List<String> prefix = new ArrayList<>();
    private final List<String> namespace = new ArrayList<>();
    private static final ObjectMapper JSON = new ObjectMapper();
    private Process process;
    private String agentId;

    public AgentProcess(Path repo, Path home) throws IOException {
        this.jar = repo.resolve("agent/target/starling-agent-0.1.0-SNAPSHOT-runner.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("Build the agent first: " + jar + " is missing");
        }
        this.home = Files.createDirectories(home);
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
        env.put("STARLING_AGENT_STATE_DIR", stateDir().toString());
        env.put("STARLING_AGENT_INSTALL_ROOT", installRoot().toString());
        env.put("STARLING_AGENT_SWARM_LISTEN_INTERFACE", "127.0.0.1:" + port);
        // Quick reports keep the tests short; production reports every 5 s.
        env.put("STARLING_AGENT_CHECK_IN_PROGRESS_INTERVAL", "1s");
        env.put("STARLING_AGENT_CHECK_IN_MAX_BACKOFF", "3s");
        env.put("MALLOC_ARENA_MAX", "2");
    }

    public Path stateDir() {
        return home.resolve("state");
    }

    public Path installRoot() {
        return home.resolve("installed");
    }

    public Path log() {
        return home.resolve("agent.log");
    }

    int port() {
        return port;
    }

    /** Any STARLING_AGENT_* setting, before {@link #start()}. */
    public AgentProcess with(String variable, String value) {
        env.put(variable, value);
        return this;
    }

    /** Runs this agent, and its CLI commands, inside a network namespace ({@code ip netns exec NS}). */
    public AgentProcess inNamespace(String name) {
        namespace.clear();
        namespace.addAll(List.of("ip", "netns", "exec", name));
        return this;
    }

    /** Runs the agent under another program, e.g. {@code faketime +31d}. */
    AgentProcess wrappedIn(String... command) {
        prefix.addAll(List.of(command));
        return this;
    }

    /** {@code starling-agent ARGS} to completion (at most 60 s); returns exit code and output. */
    public Processes.Result cli(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(namespace);
        cmd.addAll(List.of(java(), "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        return Processes.exec(Path.of("."), env, Duration.ofSeconds(60), cmd);
    }

    /** {@code starling-agent enroll}, with any further options (e.g. {@code --root-key-fingerprint}). */
    public AgentProcess enroll(String server, String token, String... options) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("enroll", "--server", server, "--token", token));
        args.addAll(List.of(options));
        Processes.Result r = cli(args.toArray(String[]::new));
        if (r.exitCode() != 0) {
            throw new IllegalStateException("enroll failed (" + r.exitCode() + "): " + r.output());
        }
        return this;
    }

    public AgentProcess start() throws IOException {
        List<String> cmd = new ArrayList<>(namespace);
        cmd.addAll(prefix);
        cmd.addAll(List.of(java(), "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "run"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        pb.environment().putAll(env);
        if (!prefix.isEmpty()) {
            pb.environment().put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
        }
        process = pb.start();
        return this;
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** What a power cut does: no shutdown hook, no resume data saved. */
    public void kill() throws InterruptedException {
        if (process != null) {
            // A wrapper (faketime) forks the JVM: kill the tree, or the JVM lives on unseen.
            List<ProcessHandle> tree = tree();
            tree.forEach(ProcessHandle::destroyForcibly);
            awaitExit(tree, 30);
        }
    }

    /** SIGTERM, as systemd would send, to the JVM itself (not only a wrapper). */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            List<ProcessHandle> tree = tree();
            tree.forEach(ProcessHandle::destroy);
            if (!awaitExit(tree, 30)) {
                tree.forEach(ProcessHandle::destroyForcibly);
                awaitExit(tree, 10);
            }
        }
    }

    /** Children first, so that a wrapper does not exit before the JVM it waits for. */
    private List<ProcessHandle> tree() {
        List<ProcessHandle> tree = new ArrayList<>(process.toHandle().descendants().toList());
        java.util.Collections.reverse(tree);
        tree.add(process.toHandle());
        return tree;
    }

    private static boolean awaitExit(List<ProcessHandle> processes, int seconds) {
        try {
            await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(100))
                    .until(() -> processes.stream().noneMatch(ProcessHandle::isAlive));
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    public String logText() throws IOException {
        return Files.exists(log()) ? Files.readString(log()) : "";
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** What enrollment stored in {@code identity.json}. */
    JsonNode identity() throws IOException {
        return JSON.readTree(stateDir().resolve("identity.json").toFile());
    }

    public String agentId() throws IOException {
        if (agentId == null) {
            agentId = identity().get("agentId").asText();
        }
        return agentId;
    }

    /** What the running agent last wrote to {@code status.json}. */
    JsonNode status() throws IOException {
        Path file = stateDir().resolve("status.json");
        return Files.exists(file) ? JSON.readTree(file.toFile()) : JSON.createObjectNode();
    }

    /** The local state of a deployment, as the agent's journal has it (null if it has none). */
    String localState(String deploymentId) throws IOException {
        for (JsonNode d : status().path("deployments")) {
            if (d.get("id").asText().equals(deploymentId)) {
                return d.get("state").asText();
            }
        }
        return null;
    }
}
