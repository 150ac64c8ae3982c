package io.starling.controlplane.tracker;

/**
 * A published artifact the tracker admits peers for. Hashes are raw bytes.
 *
 * @param ssl an SSL torrent: its peers, the origin seeder among them, are reached on their TLS ports
 */
record TrackedTorrent(String product, String version, String file, byte[] infoHashV1, byte[] infoHashV2, boolean ssl) {

    TrackedTorrent(String product, String version, String file, byte[] infoHashV1, byte[] infoHashV2) {
        this(product, version, file, infoHashV1, infoHashV2, false);
    }

    /** BEP 52: v2 peers announce the SHA-256 info-hash truncated to 20 bytes. */
    byte[] truncatedV2() {
        return java.util.Arrays.copyOf(infoHashV2, 20);
    }
}
