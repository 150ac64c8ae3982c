package io.starling.controlplane.tracker;

/** A peer in one swarm. Mutated only under its swarm's lock. */
final class Peer {

    final String key;
    final byte[] peerId;
    final long passkeyId;
    byte[] ip;
    int port;
    long uploaded;
    long downloaded;
    long left;
    String site;
    long lastSeenMillis;
    boolean countedComplete;

    /** Position in its {@link PeerList}, so removal is O(1). */
    int slot = -1;
    PeerList list;

    Peer(String key, byte[] peerId, long passkeyId) {
        this.key = key;
        this.peerId = peerId;
        this.passkeyId = passkeyId;
    }

    boolean isSeed() {
        return left == 0;
    }
}
