package io.starling.e2e.simulator;

import io.starling.controlplane.tracker.SimulatedTracker;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A flow-level simulation of one release reaching every agent. Time moves in fixed steps; in each
 * step every transfer in progress is a flow whose rate is its max-min fair share ({@link FairShare})
 * of the links it crosses: the sender's uplink (an agent's LAN up, or the origin's uplink), its
 * office's WAN up if it leaves the office, the receiver's office WAN down if it enters one, and
 * the receiver's LAN down. Peers, pieces and policy are modelled as follows:
 * <ul>
 * <li>Which peers an agent knows: the control plane's tracker code itself ({@link SimulatedTracker}),
 * announced to when an agent starts, every announce interval, when it completes; connections are
 * two-way and last until a side leaves, as in libtorrent.
 * <li>Which piece: {@link RarestFirst} over what the agent's peers have, one piece at a time per
 * connection, pipelined (the next piece starts within the same step).
 * <li>Who gets served: each uploader unchokes at most {@value #UNCHOKE_SLOTS} interested peers
 * (libtorrent's default) and rotates them every {@value #RECHOKE_SECONDS} s at random; tit-for-tat
 * is ignored (in an office every agent is cooperative, and rates are what the links allow).
 * <li>The origin seeder: a peer outside every office holding every piece; the web seed joins an
 * agent's download after {@value #WEB_SEED_AFTER_SECONDS} s without progress, as the agent does.
 * </ul>
 * Not modelled: TCP slow start and latency (the benchmark has none added), CPU, disk, hash checks,
 * check-in latency beyond a uniform 0–{@value #CHECK_IN_SECONDS} s start.
 */
public final class Simulation {

    static final int UNCHOKE_SLOTS = 8;
    static final double RECHOKE_SECONDS = 15;
    static final int NUMWANT = 200;
    /**
     * libtorrent's {@code connections_limit}: a peer takes no more connections than this. Without
     * it, a gateway of a site short of copies would be connected to by every seed of the fleet (the
     * tracker hands seeds those gateways) and split its WAN among thousands of flows.
     */
    static final int CONNECTIONS_LIMIT = 200;
    static final double CHECK_IN_SECONDS = 2;
    static final double WEB_SEED_AFTER_SECONDS = 30;
    static final double RESUME_SAVE_SECONDS = 30;
    static final long STALL_MILLIS = 60_000;
    static final long PEER_TTL_MILLIS = 150_000;
    /** Payload share of a link's line rate: the benchmark's WAN counters see 4–5 % frames over payload. */
    static final double PAYLOAD_SHARE = 0.95;

    private final Scenario s;
    private final double dt;
    private final SplittableRandom random;
    private final SimulatedTracker tracker;
    private final int pieces;
    private final int agents;
    private final Node[] nodes;
    private final Node origin;
    private final double[] capacity;
    private final long[] wanIn;
    private final List<Conn> active = new ArrayList<>();
    private final BitSet dirtyUploaders = new BitSet();
    private long originBytes;
    private long deliveredPieces;
    private double t;
    private boolean churned;
    private final List<Node> restarts = new ArrayList<>();
    private double restartAt = Double.NaN;

    private java.util.function.Consumer<String> progress = line -> { };

    /** Where a line goes every 10 simulated seconds. */
    public Simulation progress(java.util.function.Consumer<String> sink) {
        this.progress = sink;
        return this;
    }

    public Simulation(Scenario scenario, double stepSeconds) {
        this.s = scenario;
        this.dt = stepSeconds;
        this.random = new SplittableRandom(scenario.seed());
        this.tracker = new SimulatedTracker(1, STALL_MILLIS, scenario.siteGateways());
        this.pieces = scenario.pieces();
        this.agents = scenario.agents();
        int offices = scenario.offices().size();
        // Links: 0 origin up; 1 + 2o office o's WAN up, 2 + 2o its WAN down; then per agent LAN up, LAN down.
        int firstAgentLink = 1 + 2 * offices;
        capacity = new double[firstAgentLink + 2 * agents];
        capacity[0] = bytes(scenario.originUpBits());
        nodes = new Node[agents];
        int id = 0;
        for (int o = 0; o < offices; o++) {
            Scenario.Office office = scenario.offices().get(o);
            capacity[1 + 2 * o] = bytes(office.wanUpBits());
            capacity[2 + 2 * o] = bytes(office.wanDownBits());
            for (int i = 0; i < office.agents(); i++, id++) {
                Node n = new Node(id, o, firstAgentLink + 2 * id, firstAgentLink + 2 * id + 1, pieces);
                capacity[n.upLink] = bytes(office.lanUpBits());
                capacity[n.downLink] = bytes(office.lanDownBits());
                nodes[id] = n;
            }
        }
        origin = new Node(SimulatedTracker.ORIGIN, -1, 0, -1, pieces);
        origin.have.set(0, pieces);
        origin.joined = true;
        wanIn = new long[offices];
        int lateEvery = scenario.lateFraction() > 0 ? (int) Math.round(1 / scenario.lateFraction()) : 0;
        for (Node n : nodes) {
            boolean late = lateEvery > 0 && n.id % lateEvery == lateEvery - 1;
            n.joinAt = (late ? scenario.lateSeconds() : 0) + random.nextDouble() * CHECK_IN_SECONDS;
        }
    }

    private static double bytes(long bits) {
        return bits / 8.0 * PAYLOAD_SHARE;
    }

    /** Runs until every agent has the release or {@code maxSeconds} pass. */
    public SimResult run(double maxSeconds) {
        long started = System.nanoTime();
        int done = 0;
        double nextRechoke = RECHOKE_SECONDS;
        double nextSave = RESUME_SAVE_SECONDS;
        double nextExpire = 30;
        double nextLog = 10;
        while (done < agents && t < maxSeconds) {
            t += dt;
            if (t >= nextLog) {
                progress.accept(String.format(java.util.Locale.ROOT, "%6.1f s simulated: %d of %d agents whole, pieces delivered %.0f %% of agents × pieces",
                        t, done, agents, 100.0 * deliveredPieces / ((double) agents * pieces)));
                nextLog += 10;
            }
            for (Node n : nodes) {
                if (!n.joined && n.alive && t >= n.joinAt) {
                    join(n);
                } else if (n.joined && n.alive && t >= n.nextAnnounce) {
                    announce(n, SimulatedTracker.Event.NONE);
                }
                if (n.joined && n.alive && !n.complete() && !n.webSeed && t - n.lastProgress >= WEB_SEED_AFTER_SECONDS) {
                    addWebSeed(n);
                }
            }
            if (t >= nextRechoke) {
                rechoke();
                nextRechoke += RECHOKE_SECONDS;
            }
            if (t >= nextSave) {
                for (Node n : nodes) {
                    n.saved = (BitSet) n.have.clone();
                }
                nextSave += RESUME_SAVE_SECONDS;
            }
            if (t >= nextExpire) {
                tracker.expire(millis() - PEER_TTL_MILLIS);
                nextExpire += 30;
            }
            churn();
            fillSlots();
            transfer();
            done = 0;
            for (Node n : nodes) {
                done += Double.isNaN(n.doneAt) ? 0 : 1;
            }
        }
        double[] doneAt = new double[agents];
        double[] joinAt = new double[agents];
        for (Node n : nodes) {
            doneAt[n.id] = n.doneAt;
            joinAt[n.id] = n.joinAt;
        }
        double http = s.httpBaseline() ? HttpBaseline.seconds(s) : Double.NaN;
        return new SimResult(s, doneAt, joinAt, originBytes, wanIn.clone(), http, (System.nanoTime() - started) / 1e9);
    }

    private long millis() {
        return Math.round(t * 1000);
    }

    private void join(Node n) {
        n.joined = true;
        n.lastProgress = t;
        announce(n, SimulatedTracker.Event.STARTED);
    }

    private void announce(Node n, SimulatedTracker.Event event) {
        long left = (long) (pieces - n.have.cardinality()) * s.pieceBytes();
        List<Integer> peers = tracker.announce(n.id, n.session, "site-" + n.office, n.downloaded, Math.max(0, left), event,
                NUMWANT, millis());
        n.nextAnnounce = t + s.announceSeconds();
        for (int p : peers) {
            Node other = p == SimulatedTracker.ORIGIN ? origin : nodes[p];
            if (other.alive && other.joined) {
                connect(other, n);
            }
        }
    }

    /** A two-way connection; the origin only ever sends. */
    private void connect(Node a, Node b) {
        if (a == b || b.in.containsKey(a.id) || connections(a) >= CONNECTIONS_LIMIT
                || connections(b) >= CONNECTIONS_LIMIT) {
            return;
        }
        link(a, b);
        if (a != origin) {
            link(b, a);
        }
    }

    private int connections(Node n) {
        return n == origin ? n.out.size() : n.in.size();
    }

    private void link(Node up, Node down) {
        Conn c = new Conn(up, down, false, path(up, down));
        down.in.put(up.id, c);
        up.out.add(c);
        for (int p = up.have.nextSetBit(0); p >= 0; p = up.have.nextSetBit(p + 1)) {
            down.availability[p]++;
        }
        dirtyUploaders.set(up.id + 1);
    }

    private void addWebSeed(Node n) {
        // HTTP range requests: a connection of its own, never choked, through the origin's uplink.
        n.webSeed = true;
        n.webSeedConn = new Conn(origin, n, true, path(origin, n));
        n.webSeedConn.unchoked = true;
        active.add(n.webSeedConn);
    }

    private int[] path(Node up, Node down) {
        if (up == origin) {
            return new int[] {0, 2 + 2 * down.office, down.downLink};
        }
        if (up.office == down.office) {
            return new int[] {up.upLink, down.downLink};
        }
        return new int[] {up.upLink, 1 + 2 * up.office, 2 + 2 * down.office, down.downLink};
    }

    private void churn() {
        if (s.churn() > 0 && !churned && deliveredPieces >= s.churnAtProgress() * agents * pieces) {
            churned = true;
            int n = (int) Math.max(1, Math.round(agents * s.churn()));
            for (int i = 0; i < n; i++) {
                Node victim = nodes[(int) ((long) i * agents / n)];
                if (victim.alive) {
                    kill(victim);
                    restarts.add(victim);
                }
            }
            restartAt = t + s.restartSeconds();
        }
        if (!restarts.isEmpty() && t >= restartAt) {
            for (Node n : restarts) {
                n.alive = true;
                n.session++;
                n.have = n.saved == null ? new BitSet(pieces) : (BitSet) n.saved.clone();
                n.doneAt = n.have.cardinality() == pieces ? n.doneAt : Double.NaN;
                n.joined = false;
                n.joinAt = t;
            }
            restarts.clear();
        }
    }

    /** SIGKILL: connections drop, the tracker is not told (the peer lingers there until its TTL). */
    private void kill(Node n) {
        n.alive = false;
        n.webSeed = false;
        if (n.webSeedConn != null) {
            n.webSeedConn.closed = true;
            n.webSeedConn = null;
        }
        for (Conn c : n.out) {
            c.closed = true;
            c.down.in.remove(n.id);
            if (c.piece >= 0) {
                refreshInFlight(c.down, c.piece, c);
            }
            for (int p = n.have.nextSetBit(0); p >= 0; p = n.have.nextSetBit(p + 1)) {
                c.down.availability[p]--;
            }
        }
        for (Conn c : n.in.values()) {
            c.closed = true;
            c.up.out.remove(c);
            if (c.unchoked && !c.webSeed) {
                c.up.unchoked--;
                dirtyUploaders.set(c.up.id + 1);
            }
        }
        n.out.clear();
        n.in.clear();
        n.unchoked = 0;
        n.endGame = false;
        n.inFlight.clear();
        n.doubled.clear();
        java.util.Arrays.fill(n.availability, (short) 0);
    }

    /** Another connection of the downloader may still be fetching that piece (end game). */
    private static void refreshInFlight(Node d, int piece, Conn gone) {
        int fetching = 0;
        for (Conn o : d.in.values()) {
            fetching += o != gone && o.piece == piece && !o.closed ? 1 : 0;
        }
        if (d.webSeedConn != null && d.webSeedConn != gone && d.webSeedConn.piece == piece) {
            fetching++;
        }
        d.inFlight.set(piece, fetching > 0);
        d.doubled.set(piece, fetching > 1);
    }

    /** Every uploader chokes all and unchokes up to its slots at random among the interested. */
    private void rechoke() {
        for (Conn c : active) {
            if (!c.webSeed) {
                c.rotate = true;
            }
        }
        for (Node n : nodes) {
            dirtyUploaders.set(n.id + 1);
        }
        dirtyUploaders.set(0);
    }

    private void fillSlots() {
        for (int i = dirtyUploaders.nextSetBit(0); i >= 0; i = dirtyUploaders.nextSetBit(i + 1)) {
            Node u = i == 0 ? origin : nodes[i - 1];
            if (!u.alive || u.unchoked >= UNCHOKE_SLOTS || u.out.isEmpty()) {
                continue;
            }
            int n = u.out.size();
            int start = random.nextInt(n);
            for (int k = 0; k < n && u.unchoked < UNCHOKE_SLOTS; k++) {
                Conn c = u.out.get((start + k) % n);
                if (!c.unchoked && !c.closed && interested(c)) {
                    c.unchoked = true;
                    c.rotate = false;
                    u.unchoked++;
                    active.add(c);
                }
            }
        }
        dirtyUploaders.clear();
    }

    private boolean interested(Conn c) {
        if (c.down.complete()) {
            return false;
        }
        if (c.up == origin) {
            return true;
        }
        BitSet want = (BitSet) c.up.have.clone();
        want.andNot(c.down.have);
        return !want.isEmpty();
    }

    private void transfer() {
        List<Conn> flows = new ArrayList<>(active.size());
        List<Conn> still = new ArrayList<>(active.size());
        for (Conn c : active) {
            if (c.closed) {
                continue;
            }
            if (c.piece < 0 && !next(c)) {
                continue;
            }
            still.add(c);
            flows.add(c);
        }
        active.clear();
        active.addAll(still);
        int[][] paths = new int[flows.size()][];
        for (int i = 0; i < paths.length; i++) {
            paths[i] = flows.get(i).path;
        }
        double[] rate = FairShare.rates(capacity, paths);
        for (int i = 0; i < flows.size(); i++) {
            Conn c = flows.get(i);
            double budget = rate[i] * dt;
            while (budget > 0 && c.piece >= 0 && !c.closed) {
                double take = Math.min(budget, c.left);
                budget -= take;
                c.left -= take;
                account(c, take);
                if (c.left <= 1e-9) {
                    arrived(c.down, c.piece);
                    c.piece = -1;
                    if (c.rotate || !next(c)) {
                        break;
                    }
                }
            }
        }
    }

    private void account(Conn c, double bytes) {
        long b = Math.round(bytes);
        c.down.downloaded += b;
        if (b > 0) {
            c.down.lastProgress = t; // the agent's stall watch counts bytes (16 KiB blocks), not whole pieces
        }
        if (c.up == origin) {
            originBytes += b;
        }
        if (c.up.office != c.down.office) {
            wanIn[c.down.office] += b;
        }
    }

    /** Gives the connection its next piece, or chokes it (rotation due, or nothing wanted). */
    private boolean next(Conn c) {
        if (!c.closed && !c.rotate && !c.down.complete()) {
            int p = RarestFirst.pick(c.up.have, c.down.have, c.down.inFlight, c.down.doubled, c.down.availability,
                    random);
            if (p >= 0) {
                if (c.down.inFlight.get(p)) {
                    c.down.endGame = true;
                    c.down.doubled.set(p);
                }
                c.piece = p;
                c.left = pieceSize(p);
                c.down.inFlight.set(p);
                return true;
            }
        }
        c.piece = -1;
        if (c.webSeed) {
            c.closed = c.down.complete() || c.closed;
            return false;
        }
        if (c.unchoked) {
            c.unchoked = false;
            c.up.unchoked--;
            dirtyUploaders.set(c.up.id + 1);
        }
        c.rotate = false;
        return false;
    }

    private double pieceSize(int p) {
        return p < pieces - 1 ? s.pieceBytes() : s.sizeBytes() - (long) (pieces - 1) * s.pieceBytes();
    }

    private void arrived(Node d, int p) {
        if (d.have.get(p)) {
            return; // end game: another connection was first
        }
        d.have.set(p);
        d.inFlight.clear(p);
        d.doubled.clear(p);
        deliveredPieces++;
        if (d.endGame) {
            for (Conn c : d.in.values()) {
                if (c.piece == p) {
                    c.piece = -1; // cancelled: a duplicate in the end game
                }
            }
        }
        if (d.webSeedConn != null && d.webSeedConn.piece == p) {
            d.webSeedConn.piece = -1;
        }
        for (Conn c : d.out) {
            c.down.availability[p]++;
            if (!c.unchoked) {
                dirtyUploaders.set(d.id + 1);
            }
        }
        if (d.have.cardinality() == pieces) {
            d.doneAt = t;
            announce(d, SimulatedTracker.Event.COMPLETED);
        }
    }

    private static final class Node {
        final int id;
        final int office;
        final int upLink;
        final int downLink;
        BitSet have;
        BitSet saved;
        final BitSet inFlight;
        final BitSet doubled;
        final short[] availability;
        final Map<Integer, Conn> in = new HashMap<>();
        Conn webSeedConn;
        final List<Conn> out = new ArrayList<>();
        int unchoked;
        boolean alive = true;
        boolean joined;
        boolean webSeed;
        /** Has fetched a piece twice at once: completions must cancel the duplicates. */
        boolean endGame;
        int session;
        double joinAt;
        double nextAnnounce;
        double lastProgress;
        double doneAt = Double.NaN;
        long downloaded;

        Node(int id, int office, int upLink, int downLink, int pieces) {
            this.id = id;
            this.office = office;
            this.upLink = upLink;
            this.downLink = downLink;
            this.have = new BitSet(pieces);
            this.inFlight = new BitSet(pieces);
            this.doubled = new BitSet(pieces);
            this.availability = new short[pieces];
        }

        boolean complete() {
            return !Double.isNaN(doneAt);
        }
    }

    private static final class Conn {
        final Node up;
        final Node down;
        final int[] path;
        boolean webSeed;
        boolean unchoked;
        boolean rotate;
        boolean closed;
        int piece = -1;
        double left;

        Conn(Node up, Node down, boolean webSeed, int[] path) {
            this.up = up;
            this.down = down;
            this.webSeed = webSeed;
            this.path = path;
        }
    }
}
