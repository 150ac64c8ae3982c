package io.starling.e2e.offices;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.starling.e2e.AgentProcess;
import io.starling.e2e.ControlPlaneApi;
import io.starling.e2e.ControlPlaneProcess;
import io.starling.e2e.Keycloak;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One benchmark run: offices built, control plane and agents started in them, a release deployed
 * to every agent and watched until all have installed it; then the same agents fetch the same
 * file over plain HTTP from the origin. Everything it starts it stops, also on failure.
 */
public final class DistributionRun {

    static final String PRODUCT = "bench";
    static final String VERSION = "1.0";
    static final String FILE = "bench.bin";
    private static final int KEYCLOAK_PORT = 8180;
    private static final List<String> HAS_WHOLE_RELEASE = List.of("DOWNLOADED", "INSTALLING", "INSTALLED");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Path repo;
    private final BenchOptions options;
    private final Consumer<String> log;
    private final Map<String, AgentProcess> agents = new LinkedHashMap<>();
    private final Map<String, OfficeNetwork.Host> hostOf = new HashMap<>();
    private final StringBuilder notes = new StringBuilder();

    public DistributionRun(Path repo, BenchOptions options, Consumer<String> log) {
        this.repo = repo;
        this.options = options;
        this.log = log;
    }

    public RunResult run() throws Exception {
        String startedAt = Instant.now().toString();
        Path work = Files.createTempDirectory("starling-bench");
        try (OfficeNetwork network = OfficeNetwork.create(options.sites(), options.agentsPerSite(), options.links());
             Keycloak keycloak = Keycloak.ensureRunning(repo);
             TcpRelay relay = new TcpRelay(new InetSocketAddress(OfficeNetwork.ORIGIN_ADDRESS, KEYCLOAK_PORT),
                     new InetSocketAddress("127.0.0.1", KEYCLOAK_PORT));
             ControlPlaneProcess controlPlane = new ControlPlaneProcess(repo, Files.createDirectories(work.resolve("cp")),
                     OfficeNetwork.ORIGIN_ADDRESS)) {
            // Ctrl-C: the JVM runs its hooks but its child processes would outlive it.
            Thread stopOnExit = new Thread(() -> {
                try {
                    stopAgents();
                    controlPlane.stop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-stop-processes");
            Runtime.getRuntime().addShutdownHook(stopOnExit);
            try {
                return measure(network, keycloak, controlPlane, work, startedAt);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(stopOnExit);
                } catch (IllegalStateException e) {
                    // shutting down: the hook runs
                }
            }
        } finally {
            if (System.getenv("STARLING_BENCH_KEEP") == null) {
                deleteTree(work);
            } else {
                log.accept("kept logs and state in " + work);
            }
        }
    }

    private RunResult measure(OfficeNetwork network, Keycloak keycloak, ControlPlaneProcess controlPlane, Path work,
            String startedAt) throws Exception {
        {
            log.accept("offices: " + options.sites() + " × " + options.agentsPerSite() + " agents, links " + options.links());
            controlPlane.start(controlPlaneSettings(controlPlane));
            ControlPlaneApi api = new ControlPlaneApi(controlPlane::url, keycloak);
            for (int s = 1; s <= network.sites(); s++) {
                api.post("/sites", Map.of("name", OfficeNetwork.Host.siteName(s), "cidrs", List.of(OfficeNetwork.siteCidr(s))), 201);
            }
            byte[] release = new byte[Math.toIntExact(options.sizeBytes())];
            ThreadLocalRandom.current().nextBytes(release);
            api.publish(PRODUCT, VERSION, FILE, release, null);
            release = null;
            try {
                Instant agentsStarted = startAgents(network, api, controlPlane.url(), work);
                awaitCheckIns(api, agentsStarted);
                settle();

                Counters before = counters(network, controlPlane);
                Map<String, Double> done = deployAndWatch(api);
                Counters after = counters(network, controlPlane);
                List<JsonNode> finals = deployments(api);
                int installed = (int) finals.stream().filter(d -> d.get("state").asText().equals("INSTALLED")).count();
                Map<String, Long> wan = new LinkedHashMap<>();
                before.wan.forEach((site, bytes) -> wan.put(site, after.wan.get(site) - bytes));
                Map<String, Long> wanPayload = payloadIntoSites(finals, network.sites());
                notes.append(bySource(finals));
                long originBytes = after.origin - before.origin;
                notes.append(String.format(" Origin uplink carried %.2f × the release (frames, check-ins and tracker included).",
                        (after.originLink - before.originLink) / (double) options.sizeBytes()));

                stopAgents();
                List<Double> http = options.http() ? httpBaseline(network, api, controlPlane.url()) : List.of();
                return new RunResult(options.scenario(), options.sites(), options.agentsPerSite(), options.sizeBytes(),
                        options.links(), new ArrayList<>(done.values()), installed, originBytes, wan, wanPayload, http,
                        notes.toString().strip(), startedAt, "e2e/bench.sh " + String.join(" ", options.args()));
            } finally {
                stopAgents();
            }
        }
    }

    private String[] controlPlaneSettings(ControlPlaneProcess controlPlane) throws IOException {
        String origin = OfficeNetwork.ORIGIN_ADDRESS;
        int seedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            seedPort = s.getLocalPort();
        }
        List<String> args = new ArrayList<>(List.of(
            "-Dstarling.public-url=" + controlPlane.url(),
            "-Dstarling.seed.listen-interface=" + origin + ":" + seedPort,
            "-Dstarling.fleet.token-url=http://" + origin + ":" + KEYCLOAK_PORT + "/realms/starling/protocol/openid-connect/token",
            // Agents see a deployment at their next check-in: every 2 s here, so that the run
            // measures distribution rather than the (60 s) production interval. Every second would
            // cost 20 agents and the control plane a fifth of this machine's two cores.
            "-Dstarling.fleet.check-in-interval=2s"));
        if (options.superSeeding()) {
            args.add("-Dstarling.seed.super-seeding=true");
        }
        // Tuning experiments: e.g. STARLING_BENCH_CP_OPTS="-Dstarling.tracker.site-gateways=1".
        String extra = System.getenv().getOrDefault("STARLING_BENCH_CP_OPTS", "").strip();
        if (!extra.isEmpty()) {
            args.addAll(List.of(extra.split("\\s+")));
            notes.append(" Control plane options: ").append(extra).append('.');
        }
        return args.toArray(String[]::new);
    }

    /**
     * Tuning experiments: STARLING_BENCH_AGENT_ENV="STARLING_AGENT_SWARM_LIBTORRENT=unchoke_slots_limit=4"
     * sets variables of every agent (space separated NAME=value pairs); the report names them.
     */
    private Map<String, String> agentEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        String extra = System.getenv().getOrDefault("STARLING_BENCH_AGENT_ENV", "").strip();
        for (String pair : extra.isEmpty() ? new String[0] : extra.split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("STARLING_BENCH_AGENT_ENV takes NAME=value pairs, not '" + pair + "'");
            }
            env.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return env;
    }

    /** Enrolls and starts every agent; returns when the last one was started. */
    private Instant startAgents(OfficeNetwork network, ControlPlaneApi api, String server, Path work) throws Exception {
        String token = api.enrollmentToken(network.hosts().size());
        Map<String, String> environment = agentEnvironment();
        if (!environment.isEmpty()) {
            notes.append(" Agent settings: ").append(String.join(" ", environment.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList())).append('.');
        }
        for (OfficeNetwork.Host h : network.hosts()) {
            AgentProcess agent = new AgentProcess(repo, work.resolve(h.namespace()))
                    .inNamespace(h.namespace())
                    .with("STARLING_AGENT_SWARM_LISTEN_INTERFACE", h.address() + ":6881")
                    // Production's report interval: a state change is reported at once anyway.
                    .with("STARLING_AGENT_CHECK_IN_PROGRESS_INTERVAL", "5s")
                    // The control plane and Keycloak answer plain http on the origin's address,
                    // which is not loopback: allowed only when said so.
                    .with("STARLING_AGENT_INSECURE", "true");
            environment.forEach(agent::with);
            agents.put(h.namespace(), agent);
            hostOf.put(h.namespace(), h);
        }
        log.accept("enrolling " + agents.size() + " agents");
        // Two at a time: one JVM per core.
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> enrolls = new ArrayList<>();
            for (AgentProcess agent : agents.values()) {
                enrolls.add(pool.submit(() -> agent.enroll(server, token)));
            }
            for (Future<?> f : enrolls) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        log.accept("starting " + agents.size() + " agents");
        for (AgentProcess agent : agents.values()) {
            agent.start();
        }
        return Instant.now();
    }

    /**
     * Every agent has checked in since it was started (enrollment counts as a check-in): its JVM
     * and session are up, and it will see the deployment at its next check-in.
     */
    private void awaitCheckIns(ControlPlaneApi api, Instant started) {
        int seen = await().alias("all " + agents.size() + " agents checked in (the input is how many did)")
                .atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                .until(() -> checkedInSince(api, started), n -> n >= agents.size());
        log.accept("all " + seen + " agents checked in");
    }

    /** How many agents checked in after {@code started}; while some have not, fails at once when one has exited. */
    private int checkedInSince(ControlPlaneApi api, Instant started) throws IOException {
        int seen = 0;
        for (JsonNode a : api.get("/agents?limit=1000")) {
            String last = a.path("lastCheckIn").asText("");
            if (!last.isEmpty() && !last.equals("null") && Instant.parse(last).isAfter(started)) {
                seen++;
            }
        }
        if (seen < agents.size()) {
            for (Map.Entry<String, AgentProcess> e : agents.entrySet()) {
                if (!e.getValue().alive()) {
                    throw new IllegalStateException("agent " + e.getKey() + " exited:\n"
                            + ControlPlaneApi.tail(e.getValue().logText()));
                }
            }
        }
        return seen;
    }

    /** Lets the JVMs finish starting (JIT, class loading) so that they do not compete with the run. */
    private static void settle() throws InterruptedException {
        Thread.sleep(5_000);
    }

    /** Seconds from the deployment's creation until each agent had the whole release. */
    private Map<String, Double> deployAndWatch(ControlPlaneApi api) throws Exception {
        List<String> ids = new ArrayList<>();
        Map<String, String> namespaceOfAgent = new HashMap<>();
        for (Map.Entry<String, AgentProcess> e : agents.entrySet()) {
            ids.add(e.getValue().agentId());
            namespaceOfAgent.put(e.getValue().agentId(), e.getKey());
        }
        long t0 = System.nanoTime();
        api.deploy(PRODUCT, VERSION, ids.toArray(String[]::new));
        log.accept("deployed to " + ids.size() + " agents; watching");
        Map<String, Double> done = new LinkedHashMap<>();
        double bound = LowerBound.seconds(options.sizeBytes(), agents.size(), options.sites(), options.links());
        long timeout = TimeUnit.SECONDS.toNanos((long) Math.max(300, 20 * bound));
        Churn churn = options.churn() > 0 ? new Churn() : null;
        long lastLog = 0;
        while (true) {
            long now = System.nanoTime();
            List<JsonNode> ds = deployments(api);
            long bytes = 0;
            int installed = 0;
            for (JsonNode d : ds) {
                String agentId = d.get("agentId").asText();
                String state = d.get("state").asText();
                bytes += d.get("bytesDone").asLong();
                if (HAS_WHOLE_RELEASE.contains(state)) {
                    done.putIfAbsent(agentId, (now - t0) / 1e9);
                }
                if (state.equals("INSTALLED")) {
                    installed++;
                } else if (state.equals("FAILED") || state.equals("CANCELLED")) {
                    throw new IllegalStateException("agent " + namespaceOfAgent.get(agentId) + ": deployment " + state + " " + d);
                }
            }
            double progress = bytes / (double) (options.sizeBytes() * agents.size());
            if (now - lastLog > TimeUnit.SECONDS.toNanos(5)) {
                log.accept(String.format("  %5.1f s  %3.0f %% of all bytes, %d/%d whole, %d installed",
                        (now - t0) / 1e9, progress * 100, done.size(), agents.size(), installed));
                lastLog = now;
            }
            if (churn != null) {
                churn.step(progress, now);
            }
            if (installed == agents.size()) {
                return done;
            }
            if (now - t0 > timeout) {
                throw new IllegalStateException(String.format("only %d of %d agents installed within %d s (%d had the release)",
                        installed, agents.size(), TimeUnit.NANOSECONDS.toSeconds(timeout), done.size()));
            }
            Thread.sleep(500);
        }
    }

    /** Kills a fraction of the agents at 30 % of the download and starts them again 5 s later. */
    private final class Churn {
        private final List<AgentProcess> victims = new ArrayList<>();
        private long killedAt;
        private boolean restarted;

        void step(double progress, long now) throws IOException, InterruptedException {
            if (victims.isEmpty() && progress >= 0.3) {
                int n = (int) Math.max(1, Math.round(agents.size() * options.churn()));
                // Every k-th agent, so that every site loses some.
                List<AgentProcess> all = new ArrayList<>(agents.values());
                for (int i = 0; i < n; i++) {
                    victims.add(all.get((int) ((long) i * all.size() / n)));
                }
                for (AgentProcess a : victims) {
                    a.kill();
                }
                killedAt = now;
                log.accept("  churn: killed " + n + " agents (SIGKILL) at " + Math.round(progress * 100) + " % of all bytes");
                notes.append(" Churn: ").append(n).append(" of ").append(agents.size())
                        .append(" agents killed with SIGKILL at 30 % of all bytes and started again 5 s later.");
            } else if (!victims.isEmpty() && !restarted && now - killedAt > TimeUnit.SECONDS.toNanos(5)) {
                for (AgentProcess a : victims) {
                    a.start();
                }
                restarted = true;
                log.accept("  churn: started them again");
            }
        }
    }

    private List<JsonNode> deployments(ControlPlaneApi api) {
        List<JsonNode> out = new ArrayList<>();
        api.get("/deployments?product=" + PRODUCT + "&version=" + VERSION + "&limit=1000").forEach(out::add);
        return out;
    }

    /** Payload agents of each site got from outside it (other sites, origin seeder, web seed), as they reported. */
    private static Map<String, Long> payloadIntoSites(List<JsonNode> finals, int sites) {
        Map<String, Long> bytes = new LinkedHashMap<>();
        for (int s = 1; s <= sites; s++) {
            bytes.put(OfficeNetwork.Host.siteName(s), 0L);
        }
        for (JsonNode d : finals) {
            JsonNode b = d.get("bytes");
            long outside = b.get("otherSitePeers").asLong() + b.get("originSeeder").asLong() + b.get("webSeed").asLong();
            bytes.merge(d.get("site").asText(), outside, Long::sum);
        }
        return bytes;
    }

    /** Where the agents' payload came from, in percent of all they downloaded. */
    private static String bySource(List<JsonNode> finals) {
        long[] sums = new long[4];
        String[] names = {"sameSitePeers", "otherSitePeers", "originSeeder", "webSeed"};
        for (JsonNode d : finals) {
            for (int i = 0; i < names.length; i++) {
                sums[i] += d.get("bytes").get(names[i]).asLong();
            }
        }
        double total = Math.max(1, sums[0] + sums[1] + sums[2] + sums[3]);
        return String.format(" Agents' payload by source: same-site peers %.1f %%, other sites %.1f %%, origin seeder %.1f %%,"
                + " web seed %.1f %%.", 100 * sums[0] / total, 100 * sums[1] / total, 100 * sums[2] / total, 100 * sums[3] / total);
    }

    private record Counters(long origin, long originLink, Map<String, Long> wan) {
    }

    private static Counters counters(OfficeNetwork network, ControlPlaneProcess controlPlane) throws Exception {
        return new Counters(originPayload(controlPlane.managementUrl()), network.originBytesSent(), network.wanBytesIntoSites());
    }

    /**
     * Payload bytes the origin seeder and the web seed have sent, from the control plane's Prometheus
     * metrics on its management interface ({@code managementUrl}).
     */
    static long originPayload(String managementUrl) throws IOException, InterruptedException {
        String text = HTTP.send(HttpRequest.newBuilder(URI.create(managementUrl + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double total = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("starling_origin_bytes_total") || line.startsWith("starling_webseed_bytes_total")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (long) total;
    }

    private void stopAgents() throws InterruptedException {
        List<Thread> stops = new ArrayList<>();
        for (AgentProcess a : agents.values()) {
            Thread t = new Thread(() -> {
                try {
                    a.stop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            stops.add(t);
        }
        for (Thread t : stops) {
            t.join();
        }
    }

    /** The same agents' machines, the same links, one plain HTTP download each from the origin, all at once. */
    private List<Double> httpBaseline(OfficeNetwork network, ControlPlaneApi api, String server) throws Exception {
        String passkey = api.post("/passkeys", Map.of("owner", "bench-http-baseline"), 201).get("passkey").asText();
        String url = server + "/seed/" + passkey + "/" + PRODUCT + "/" + VERSION + "/" + FILE;
        log.accept("plain HTTP baseline: " + network.hosts().size() + " downloads of " + url);
        List<Process> curls = new ArrayList<>();
        for (OfficeNetwork.Host h : network.hosts()) {
            List<String> cmd = new ArrayList<>(OfficeNetwork.inside(h));
            cmd.addAll(List.of("curl", "-sS", "--fail", "-o", "/dev/null", "-w", "%{time_total} %{size_download}\\n", url));
            curls.add(new ProcessBuilder(cmd).redirectErrorStream(true).start());
        }
        List<Double> seconds = new ArrayList<>();
        for (Process p : curls) {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("plain HTTP download failed: " + out);
            }
            String[] parts = out.split("\\s+");
            if (Long.parseLong(parts[1]) != options.sizeBytes()) {
                throw new IllegalStateException("plain HTTP download got " + parts[1] + " bytes, not " + options.sizeBytes());
            }
            seconds.add(Double.parseDouble(parts[0]));
        }
        seconds.sort(Comparator.naturalOrder());
        return seconds;
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
