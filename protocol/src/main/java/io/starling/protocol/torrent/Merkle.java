package io.starling.protocol.torrent;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/** BEP 52 merkle arithmetic over 32-byte SHA-256 nodes stored back to back in one array. */
final class Merkle {

    static final int BLOCK_SIZE = 16 * 1024;
    static final int HASH_SIZE = 32;

    private Merkle() {
    }

    static MessageDigest sha256() {
        return digest("SHA-256");
    }

    static MessageDigest sha1() {
        return digest("SHA-1");
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has " + algorithm, e);
        }
    }

    /** Writes the digest straight into {@code out}: no per-block garbage on the hot path. */
    static void digestInto(MessageDigest md, byte[] out, int offset) {
        try {
            md.digest(out, offset, md.getDigestLength());
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Hashes {@code count} nodes (a power of two) pairwise up to the root, in place: node i of
     * the next level overwrites a slot whose pair has already been read, so no scratch is needed.
     * The root ends up in the first 32 bytes.
     */
    static void reduceInPlace(MessageDigest sha256, byte[] nodes, int count) {
        for (int width = count; width > 1; width >>>= 1) {
            for (int i = 0; i < width >>> 1; i++) {
                sha256.update(nodes, 2 * i * HASH_SIZE, 2 * HASH_SIZE);
                digestInto(sha256, nodes, i * HASH_SIZE);
            }
        }
    }

    /** The root of a subtree of {@code leaves} all-zero leaves (BEP 52's padding above the piece layer). */
    static byte[] zeroSubtreeRoot(MessageDigest sha256, int leaves) {
        byte[] node = new byte[HASH_SIZE];
        for (int width = leaves; width > 1; width >>>= 1) {
            sha256.update(node);
            sha256.update(node);
            node = sha256.digest();
        }
        return node;
    }

    /** The root over {@code count} nodes, padded to the next power of two with {@code pad}. */
    static byte[] root(MessageDigest sha256, byte[] layer, int count, byte[] pad) {
        int width = nextPowerOfTwo(count);
        byte[] nodes = Arrays.copyOf(layer, width * HASH_SIZE);
        for (int i = count; i < width; i++) {
            System.arraycopy(pad, 0, nodes, i * HASH_SIZE, HASH_SIZE);
        }
        reduceInPlace(sha256, nodes, width);
        return Arrays.copyOf(nodes, HASH_SIZE);
    }

    static int nextPowerOfTwo(int n) {
        return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    }
}
