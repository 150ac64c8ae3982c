package io.starling.controlplane.tracker;

/** A published artifact the tracker admits peers for. Hashes are raw bytes. */
record TrackedTorrent(String product, String version, String file, byte[] infoHashV1, byte[] infoHashV2) {

    /** BEP 52: v2 peers announce the SHA-256 info-hash truncated to 20 bytes. */
    byte[] truncatedV2() {
        return java.util.Arrays.copyOf(infoHashV2, 20);
    }
}
