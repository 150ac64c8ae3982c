package io.starling.agent.swarm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the agent's libtorrent session runs.
 *
 * @param listenInterface   {@code address:port} to accept peers on: {@code 0.0.0.0:6881} in production,
 *                          {@code 127.0.0.1:0} (any free port) in tests; IPv6 in brackets, {@code [::]:6881}
 * @param resumeDir         a folder of its own in the agent's state folder: resume data, one file per torrent,
 *                          and the clean-shutdown marker
 * @param uploadRateLimit   bytes per second for all torrents together, 0 for none; holds for LAN and loopback
 *                          peers too
 * @param downloadRateLimit bytes per second for all torrents together, 0 for none; holds for LAN peers too
 * @param seedTime          how long a torrent keeps seeding after it completed; {@link Duration#ZERO} for ever
 * @param webSeedAfter      the web seed is held back until a download has made no progress from peers for this
 *                          long (every agent pulling from it at once would undo the point of peers);
 *                          {@link Duration#ZERO} uses it from the start
 * @param libtorrent        further libtorrent settings by their libtorrent names ({@code unchoke_slots_limit} →
 *                          {@code 4}), applied last; for tuning what has no setting of its own
 */
public record SwarmSettings(String listenInterface, Path resumeDir, int uploadRateLimit, int downloadRateLimit,
                            Duration seedTime, Duration webSeedAfter, Map<String, String> libtorrent) {

    /** What {@code starling.agent.swarm.web-seed-after} defaults to. */
    public static final Duration DEFAULT_WEB_SEED_AFTER = Duration.ofSeconds(30);

    public SwarmSettings {
        if (listenInterface == null || listenInterface.isBlank() || listenInterface.lastIndexOf(':') <= 0) {
            throw new IllegalArgumentException("listenInterface must be address:port, not '" + listenInterface + "'");
        }
        Objects.requireNonNull(resumeDir, "resumeDir");
        if (uploadRateLimit < 0 || downloadRateLimit < 0) {
            throw new IllegalArgumentException("rate limits are bytes per second, 0 for none");
        }
        Objects.requireNonNull(seedTime, "seedTime");
        if (seedTime.isNegative()) {
            throw new IllegalArgumentException("seedTime must not be negative (zero: seed for ever)");
        }
        Objects.requireNonNull(webSeedAfter, "webSeedAfter");
        if (webSeedAfter.isNegative()) {
            throw new IllegalArgumentException("webSeedAfter must not be negative (zero: use the web seed at once)");
        }
        libtorrent = Map.copyOf(libtorrent);
    }

    /**
     * Parses {@code name=value} pairs, as {@code starling.agent.swarm.libtorrent} lists them.
     *
     * @throws IllegalArgumentException for a pair without a name or an {@code =}
     */
    public static Map<String, String> libtorrentSettings(List<String> pairs) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("libtorrent settings are name=value, like unchoke_slots_limit=4, not '"
                        + pair.strip() + "'");
            }
            settings.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return settings;
    }

    /** Unlimited rates, seeding for ever, the web seed as a fallback after the default wait. */
    public static SwarmSettings of(String listenInterface, Path resumeDir) {
        return new SwarmSettings(listenInterface, resumeDir, 0, 0, Duration.ZERO, DEFAULT_WEB_SEED_AFTER, Map.of());
    }

    public SwarmSettings withUploadRateLimit(int bytesPerSecond) {
        return new SwarmSettings(listenInterface, resumeDir, bytesPerSecond, downloadRateLimit, seedTime, webSeedAfter,
                libtorrent);
    }

    public SwarmSettings withDownloadRateLimit(int bytesPerSecond) {
        return new SwarmSettings(listenInterface, resumeDir, uploadRateLimit, bytesPerSecond, seedTime, webSeedAfter,
                libtorrent);
    }

    public SwarmSettings withSeedTime(Duration time) {
        return new SwarmSettings(listenInterface, resumeDir, uploadRateLimit, downloadRateLimit, time, webSeedAfter,
                libtorrent);
    }

    public SwarmSettings withWebSeedAfter(Duration wait) {
        return new SwarmSettings(listenInterface, resumeDir, uploadRateLimit, downloadRateLimit, seedTime, wait,
                libtorrent);
    }

    public SwarmSettings withLibtorrent(Map<String, String> named) {
        return new SwarmSettings(listenInterface, resumeDir, uploadRateLimit, downloadRateLimit, seedTime, webSeedAfter,
                named);
    }
}
