package io.starling.protocol.agent;

/**
 * Payload bytes downloaded for one deployment, by where they came from. The point of Starling is
 * that {@code sameSitePeers} dominates; the others show how much crossed the WAN.
 */
public record BytesBySource(long sameSitePeers, long otherSitePeers, long originSeeder, long webSeed) {

    public static final BytesBySource NONE = new BytesBySource(0, 0, 0, 0);

    public long total() {
        return sameSitePeers + otherSitePeers + originSeeder + webSeed;
    }

    public long fromPeers() {
        return sameSitePeers + otherSitePeers;
    }

    public BytesBySource plus(BytesBySource other) {
        return new BytesBySource(sameSitePeers + other.sameSitePeers, otherSitePeers + other.otherSitePeers,
                originSeeder + other.originSeeder, webSeed + other.webSeed);
    }
}
