package io.starling.controlplane.seed;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "starling.seed")
public interface SeedConfig {

    /**
     * How often the seeder catches up with publications and revocations made through other
     * replicas (its own replica's apply at once). (Read by the scheduler from the same key.)
     */
    @WithDefault("10s")
    Duration catchUpEvery();

    /** Run the origin seeder. Off: no libtorrent session, no native library; the web seed still serves. */
    @WithDefault("true")
    boolean enabled();

    /**
     * {@code address:port} the origin seeder's libtorrent session listens on (TCP and uTP).
     * Port 0 takes a free port (tests).
     */
    @WithDefault("127.0.0.1:6881")
    String listenInterface();

    /**
     * {@code address:port} the tracker hands out for the origin seeder, when it differs from the
     * listen interface (NAT, a 0.0.0.0 listener). Unset: the listen interface with its actual port.
     */
    Optional<String> advertisedAddress();

    /**
     * Upload cap for everything the origin seeder sends, in bytes per second; 0 is unlimited.
     * Holds for LAN and loopback peers too (see docs/architecture.md, "the LAN rate-limit trap").
     */
    @WithDefault("0")
    int uploadRateLimit();

    /** Where libtorrent resume data is kept, one file per torrent. Unset: {@code ${starling.home}/seed-resume}. */
    Optional<Path> resumeDir();

    /**
     * Where the seeder links each artifact's blob under the name its torrent gives it. Best on the
     * blob store's file system (hard links); elsewhere symbolic links are used. Unset:
     * {@code ${starling.home}/seed-data}.
     */
    Optional<Path> dataDir();

    /**
     * With the S3 blob store: where the seeder keeps local copies of the blobs it seeds (libtorrent
     * reads files). Best on the file system of {@link #dataDir()} (hard links). Unset:
     * {@code ${starling.home}/seed-cache}. Unused with the file blob store.
     */
    Optional<Path> cacheDir();

    /**
     * Most bytes the seed cache holds (50 GiB). It needs the published artifacts a replica seeds;
     * copies of revoked ones are evicted, least recently used first, to make room. A blob that does
     * not fit is not seeded from here (the web seed still serves it). See docs/operations.md.
     */
    @WithDefault("53687091200")
    long cacheSize();

    /**
     * How often every seeded blob is read again and checked against its SHA-256. The first pass,
     * a minute after start, reads the blobs stored before the start; one uploaded since was
     * hashed as it was stored and is read once it is an interval old.
     */
    @WithDefault("24h")
    Duration verifyInterval();

    /** Read rate of that check, in bytes per second, so that it never competes with seeding. */
    @WithDefault("67108864")
    long verifyRate();

    /**
     * Super-seeding (BEP 16) for every swarm: the origin hands out each piece once before repeating
     * any, which keeps what it sends near one copy per swarm while peers trade the rest. Off by
     * default: with a single downloader it crawls (measured here: a 4 MiB download went from 0.5 s to
     * over 30 s), and with several offices it costs WAN copies; the tracker turns it on per swarm
     * where it pays off ({@link #superSeedingMinLeechers()}).
     */
    @WithDefault("false")
    boolean superSeeding();

    /**
     * The origin super-seeds a swarm by itself while all its leechers are in one site and there
     * are at least this many (until they fall below half): one office of many agents then trades
     * from the first second. 0 turns that off.
     */
    @WithDefault("8")
    int superSeedingMinLeechers();

    /**
     * How long the web seed remembers that an agent's passkey may fetch a release (it has a
     * deployment of it that is not cancelled), so that ranged GETs do not each ask the database.
     * A cancel on this replica counts at once; one on another replica after at most this long.
     */
    @WithDefault("30s")
    Duration entitlementCache();
}
