package io.starling.controlplane.tracker;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "starling.tracker")
public interface TrackerConfig {

    /** How often clients should announce. */
    @WithDefault("60s")
    Duration interval();

    /** The shortest announce interval a client may use (BEP 3 {@code min interval}). */
    @WithDefault("30s")
    Duration minInterval();

    /** A peer that has not announced for this long is dropped from its swarm. */
    @WithDefault("150s")
    Duration peerTtl();

    @WithDefault("50")
    int defaultNumwant();

    /** Larger requests are cut to this: a peer list is a hint, not a directory dump. */
    @WithDefault("200")
    int maxNumwant();

    /**
     * K: a leecher is offered peers of other sites (and the origin seeder) only while its own
     * site holds fewer than this many complete copies, or while its site is stalled.
     */
    @WithDefault("1")
    int crossSiteMinSeeds();

    /**
     * Leechers per site (the first to announce) that may fetch from other sites and the origin
     * while the site holds fewer than {@code cross-site-min-seeds} copies; the rest trade on their
     * LAN. 0 lets every leecher reach across.
     */
    @WithDefault("1")
    int siteGateways();

    /** A site whose leechers report no progress for this long is stalled and may reach across sites. */
    @WithDefault("60s")
    Duration stallTimeout();

    /**
     * The origin seeder as peers should reach it ("host:port", IP literal), when it differs from
     * what the seeder itself advertises ({@code starling.seed.advertised-address}); "none" never
     * lists an origin peer.
     */
    Optional<String> originPeer();

    /**
     * How often the published torrents are read again: this replica's own publications apply at
     * once, another replica's within this. (Read by the scheduler from the same key.)
     */
    @WithDefault("10s")
    Duration torrentRefresh();

    /** How often passkeys are read again: another replica's revocations apply within this. */
    @WithDefault("10s")
    Duration passkeyRefresh();

    /** How often swarm state is written to PostgreSQL, so a restarted control plane keeps its swarms. */
    @WithDefault("5s")
    Duration persistEvery();

    /**
     * Peers one passkey may register in one swarm. An agent is one peer (two for a moment after a
     * restart with a new peer id, until the old one expires); the cap keeps a leaked passkey from
     * filling a swarm with invented addresses.
     */
    @WithDefault("8")
    int maxPeersPerPasskey();

    /** Peers one swarm holds; announces of new peers past it are refused. */
    @WithDefault("50000")
    int maxSwarmPeers();
}
