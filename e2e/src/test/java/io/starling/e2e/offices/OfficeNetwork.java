package io.starling.e2e.offices;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Simulated offices on this machine, built from network namespaces, veth pairs, one bridge per
 * site and {@code tc tbf} shaping:
 *
 * <pre>
 *  root namespace: control plane + Keycloak       10.250.0.1  ── stl-origin ── (origin uplink, shaped)
 *                                                                   │
 *  stl-wan: the WAN, a router                      10.250.0.2 ──────┘
 *     ├── wan-s1 ── (site 1 WAN, shaped both ways) ── stl-s1: the office router, bridge br0 10.200.1.1/24
 *     │                                                   ├── a1 ── stl-s1a1: agent 10.200.1.11 (LAN, shaped both ways)
 *     │                                                   └── a2 ── stl-s1a2: agent 10.200.1.12
 *     └── wan-s2 ── …
 * </pre>
 *
 * Shaping is on egress, so each direction is shaped where it leaves: the origin's upload on
 * {@code stl-origin}, a site's download on the WAN router's {@code wan-sK}, its upload on the
 * office router's {@code wan}, an agent's download on its bridge port, its upload on its own
 * {@code eth0}. Everything is deleted by {@link #close()}, which also runs from a shutdown hook
 * (Ctrl-C), and a run first removes what a killed run left behind.
 */
public final class OfficeNetwork implements AutoCloseable {

    /** Where the control plane listens: the root namespace's end of the origin uplink. */
    public static final String ORIGIN_ADDRESS = "10.250.0.1";
    static final String PREFIX = "stl-";
    private static final String ORIGIN_LINK = "stl-origin";
    private static final String WAN = "stl-wan";

    private final int sites;
    private final int agentsPerSite;
    private final OfficeLinks links;
    private final List<String> namespaces = new ArrayList<>();
    private final Thread cleanup = new Thread(this::teardown, "office-network-teardown");
    private boolean closed;

    private OfficeNetwork(int sites, int agentsPerSite, OfficeLinks links) {
        this.sites = sites;
        this.agentsPerSite = agentsPerSite;
        this.links = links;
    }

    /** One agent's place in the network. */
    public record Host(int site, int index, String namespace, String address) {
        public String siteName() {
            return siteName(site);
        }

        static String siteName(int site) {
            return "site-" + site;
        }
    }

    /**
     * Builds the offices. Refuses with {@link Unavailable} (a one-line reason) where it cannot run:
     * not root, no iproute2, or a kernel without the qdisc.
     */
    public static OfficeNetwork create(int sites, int agentsPerSite, OfficeLinks links) throws IOException, InterruptedException {
        if (sites < 1 || sites > 50 || agentsPerSite < 1 || agentsPerSite > 200) {
            throw new IllegalArgumentException("sites must be 1..50 and agents per site 1..200, got " + sites + " × " + agentsPerSite);
        }
        checkCanRun();
        removeLeftovers();
        OfficeNetwork net = new OfficeNetwork(sites, agentsPerSite, links);
        Runtime.getRuntime().addShutdownHook(net.cleanup);
        try {
            net.build();
        } catch (IOException | RuntimeException | InterruptedException e) {
            net.close();
            throw e;
        }
        return net;
    }

    /** Why this machine cannot run the simulator; the message is the one line a user sees. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String reason) {
            super(reason);
        }
    }

    static void checkCanRun() throws IOException, InterruptedException {
        String uid = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Uid:")).findFirst().orElse("Uid: -1").split("\\s+")[1];
        if (!uid.equals("0")) {
            throw new Unavailable("the office simulator creates network namespaces and needs root (run it with sudo)");
        }
        for (String tool : List.of("ip", "tc")) {
            if (!onPath(tool)) {
                throw new Unavailable("'" + tool + "' is not installed (Debian: apt-get install iproute2)");
            }
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    /** Namespaces and the origin link of an earlier run that was killed before it could clean up. */
    static void removeLeftovers() throws IOException, InterruptedException {
        for (String line : sh(false, "ip", "netns", "list").split("\n")) {
            String name = line.strip().split("\\s+")[0];
            if (name.startsWith(PREFIX)) {
                sh(false, "ip", "netns", "del", name);
            }
        }
        if (Files.exists(Path.of("/sys/class/net", ORIGIN_LINK))) {
            sh(false, "ip", "link", "del", ORIGIN_LINK);
        }
    }

    private void build() throws IOException, InterruptedException {
        netns(WAN);
        forward(WAN);
        // Origin uplink: the control plane in the root namespace, the WAN router on the other end.
        sh(true, "ip", "link", "add", ORIGIN_LINK, "type", "veth", "peer", "name", "origin", "netns", WAN);
        sh(true, "ip", "addr", "add", ORIGIN_ADDRESS + "/30", "dev", ORIGIN_LINK);
        sh(true, "ip", "link", "set", ORIGIN_LINK, "up");
        in(WAN, "ip", "addr", "add", "10.250.0.2/30", "dev", "origin");
        in(WAN, "ip", "link", "set", "origin", "up");
        shape(null, ORIGIN_LINK, links.originUpBitsPerSecond());
        // Routes to every office through the WAN router; they go away with the link.
        sh(true, "ip", "route", "add", "10.200.0.0/16", "via", "10.250.0.2", "dev", ORIGIN_LINK);
        sh(true, "ip", "route", "add", "10.251.0.0/16", "via", "10.250.0.2", "dev", ORIGIN_LINK);

        for (int s = 1; s <= sites; s++) {
            String router = siteNamespace(s);
            netns(router);
            forward(router);
            String wanSide = "wan-s" + s;
            sh(true, "ip", "-n", WAN, "link", "add", wanSide, "type", "veth", "peer", "name", "wan", "netns", router);
            in(WAN, "ip", "addr", "add", "10.251." + s + ".1/30", "dev", wanSide);
            in(WAN, "ip", "link", "set", wanSide, "up");
            in(WAN, "ip", "route", "add", "10.200." + s + ".0/24", "via", "10.251." + s + ".2");
            in(router, "ip", "addr", "add", "10.251." + s + ".2/30", "dev", "wan");
            in(router, "ip", "link", "set", "wan", "up");
            in(router, "ip", "route", "add", "default", "via", "10.251." + s + ".1");
            shape(WAN, wanSide, links.wanDownBitsPerSecond());
            shape(router, "wan", links.wanUpBitsPerSecond());
            in(router, "ip", "link", "add", "br0", "type", "bridge");
            in(router, "ip", "addr", "add", "10.200." + s + ".1/24", "dev", "br0");
            in(router, "ip", "link", "set", "br0", "up");
            for (int i = 1; i <= agentsPerSite; i++) {
                Host h = host(s, i);
                netns(h.namespace());
                String port = "a" + i;
                sh(true, "ip", "-n", router, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", h.namespace());
                in(router, "ip", "link", "set", port, "master", "br0");
                in(router, "ip", "link", "set", port, "up");
                in(h.namespace(), "ip", "addr", "add", h.address() + "/24", "dev", "eth0");
                in(h.namespace(), "ip", "link", "set", "eth0", "up");
                in(h.namespace(), "ip", "route", "add", "default", "via", "10.200." + s + ".1");
                shape(router, port, links.agentDownBitsPerSecond());
                shape(h.namespace(), "eth0", links.agentUpBitsPerSecond());
            }
        }
    }

    public int sites() {
        return sites;
    }

    public List<Host> hosts() {
        List<Host> hosts = new ArrayList<>();
        for (int s = 1; s <= sites; s++) {
            for (int i = 1; i <= agentsPerSite; i++) {
                hosts.add(host(s, i));
            }
        }
        return hosts;
    }

    private static Host host(int site, int index) {
        return new Host(site, index, siteNamespace(site) + "a" + index, "10.200." + site + "." + (10 + index));
    }

    private static String siteNamespace(int site) {
        return PREFIX + "s" + site;
    }

    /** The CIDR of a site's LAN, as the control plane's site list needs it. */
    public static String siteCidr(int site) {
        return "10.200." + site + ".0/24";
    }

    /** The command prefix that runs a program inside an agent's namespace. */
    public static List<String> inside(Host host) {
        return List.of("ip", "netns", "exec", host.namespace());
    }

    /** Bytes received so far over each site's WAN link (frames as the office router saw them). */
    public Map<String, Long> wanBytesIntoSites() throws IOException, InterruptedException {
        Map<String, Long> bytes = new LinkedHashMap<>();
        for (int s = 1; s <= sites; s++) {
            String value = in(siteNamespace(s), "cat", "/sys/class/net/wan/statistics/rx_bytes").strip();
            bytes.put(Host.siteName(s), Long.parseLong(value));
        }
        return bytes;
    }

    /** Bytes the origin (control plane) has sent over its uplink so far. */
    public long originBytesSent() throws IOException {
        return Long.parseLong(Files.readString(Path.of("/sys/class/net", ORIGIN_LINK, "statistics/tx_bytes")).strip());
    }

    private void netns(String name) throws IOException, InterruptedException {
        sh(true, "ip", "netns", "add", name);
        namespaces.add(name);
        in(name, "ip", "link", "set", "lo", "up");
    }

    private static void forward(String ns) throws IOException, InterruptedException {
        in(ns, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
    }

    /**
     * Token bucket at {@code rate}: the burst is a few milliseconds of traffic (at least 32 KiB, or
     * TCP's segmentation offload bursts are dropped) and the queue holds 100 ms.
     */
    private static void shape(String ns, String dev, long bitsPerSecond) throws IOException, InterruptedException {
        long burst = Math.max(32 * 1024, bitsPerSecond / 8 / 200);
        List<String> cmd = new ArrayList<>(List.of("tc", "qdisc", "replace", "dev", dev, "root", "tbf",
                "rate", bitsPerSecond + "bit", "burst", String.valueOf(burst), "latency", System.getenv().getOrDefault("STARLING_BENCH_TBF_LATENCY", "100ms")));
        if (ns == null) {
            sh(true, cmd.toArray(String[]::new));
        } else {
            in(ns, cmd.toArray(String[]::new));
        }
    }

    private static String in(String ns, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(command));
        return sh(true, cmd.toArray(String[]::new));
    }

    static String sh(boolean check, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " hung");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (check && p.exitValue() != 0) {
            String reason = text.strip();
            if (reason.contains("Specified qdisc kind is unknown")) {
                throw new Unavailable("this kernel has no 'tbf' queueing discipline, so links cannot be shaped");
            }
            throw new IOException(String.join(" ", command) + ": " + reason);
        }
        return text;
    }

    private synchronized void teardown() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            // Deleting a namespace deletes its veth ends, and with them their peers and routes.
            for (int i = namespaces.size() - 1; i >= 0; i--) {
                sh(false, "ip", "netns", "del", namespaces.get(i));
            }
            if (Files.exists(Path.of("/sys/class/net", ORIGIN_LINK))) {
                sh(false, "ip", "link", "del", ORIGIN_LINK);
            }
        } catch (IOException | InterruptedException e) {
            System.err.println("office network: teardown incomplete (" + e.getMessage() + "); the next run removes the rest");
        }
    }

    @Override
    public void close() {
        teardown();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or ran
        }
    }
}
