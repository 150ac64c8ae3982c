package io.starling.agent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The agent's settings (README, "Agent configuration"). Defaults suit one agent per machine. */
@ConfigMapping(prefix = "starling.agent")
public interface AgentConfig {

    /** Identity, journal, downloads and resume data (owner-only). Env STARLING_AGENT_STATE_DIR. */
    @WithDefault("/var/lib/starling-agent")
    Path stateDir();

    /** Where releases are installed: {@code <install-root>/<product>/<version>/} and a {@code current} link. */
    @WithDefault("/opt/starling")
    Path installRoot();

    /** Installed versions kept per product, the active one included. */
    @WithDefault("2")
    int keepVersions();

    /**
     * PEM file of the certificate authorities the agent trusts for HTTPS to the control plane and
     * the identity provider, instead of the JDK's own list. Env STARLING_AGENT_CA_BUNDLE.
     */
    Optional<Path> caBundle();

    /**
     * Allows {@code http://} to a control plane or token URL that is not on loopback: the
     * enrollment token, client secret and bearer tokens then travel in clear. Env STARLING_AGENT_INSECURE.
     */
    @WithDefault("false")
    boolean insecure();

    Swarm swarm();

    CheckIn checkIn();

    interface Swarm {
        /** Address and port the BitTorrent session listens on. */
        @WithDefault("0.0.0.0:6881")
        String listenInterface();

        /** Upload cap in bytes per second, 0 for none; it holds on the LAN too. */
        @WithDefault("0")
        int uploadRateLimit();

        /** Download cap in bytes per second, 0 for none. */
        @WithDefault("0")
        int downloadRateLimit();

        /** How long an installed release keeps being seeded; 0 seeds until a newer version replaces it. */
        @WithDefault("7d")
        Duration seedTime();

        /**
         * The release's web seed (plain HTTP from the control plane) is used only once a download
         * has made no progress from peers for this long; 0 uses it from the start.
         */
        @WithDefault("30s")
        Duration webSeedAfter();

        /**
         * A download that verifies no piece for {@code web-seed-after} plus this long (the web
         * seed has then been in use this long) is given up: the deployment fails with
         * {@code DOWNLOAD_STALLED}. 0 waits for ever.
         */
        @WithDefault("15m")
        Duration stallDeadline();

        /**
         * Further libtorrent settings as {@code name=value} by libtorrent's own names, comma
         * separated ({@code unchoke_slots_limit=4,seed_choking_algorithm=1}); for tuning only.
         */
        Optional<List<String>> libtorrent();
    }

    interface CheckIn {
        /** The first retry after a failed check-in; doubled on every further failure. */
        @WithDefault("1s")
        Duration minBackoff();

        /** The longest wait between check-in attempts while the control plane is unreachable. */
        @WithDefault("5m")
        Duration maxBackoff();

        /** Used when the control plane names no next check-in time. */
        @WithDefault("60s")
        Duration defaultInterval();

        /** How often download progress is reported while a download runs. */
        @WithDefault("5s")
        Duration progressInterval();

        /** Timeout of one HTTP call to the control plane, until its answer's headers arrive. */
        @WithDefault("30s")
        Duration requestTimeout();

        /**
         * The whole of one HTTP call to the control plane, answer body included: an answer still
         * trickling in then is cut off and not used (slow retrieval), and the call is tried again later.
         */
        @WithDefault("2m")
        Duration requestDeadline();

        /** Overrides the server URL recorded at enrollment (e.g. after a move behind a proxy). */
        Optional<String> serverUrl();
    }
}
