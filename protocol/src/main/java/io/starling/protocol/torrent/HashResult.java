package io.starling.protocol.torrent;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Everything a hybrid torrent and a manifest need to know about one file's bytes.
 * The arrays are shared, not copied (they can be megabytes for big files): do not mutate them.
 *
 * @param sha256       SHA-256 of the whole file
 * @param v1Pieces     SHA-1 of each piece, 20 bytes each, in order (BEP 3 {@code pieces})
 * @param v2PiecesRoot root of the file's BEP 52 merkle tree ({@code pieces root}), 32 bytes
 * @param v2PieceLayer the merkle layer at piece granularity, 32 bytes a piece; empty when the
 *                     file fits in one piece, as BEP 52 leaves such files out of {@code piece layers}
 */
public record HashResult(long size, int pieceLength, byte[] sha256, byte[] v1Pieces,
                         byte[] v2PiecesRoot, byte[] v2PieceLayer) {

    public HashResult {
        if (size <= 0 || pieceLength <= 0 || sha256.length != 32 || v2PiecesRoot.length != 32) {
            throw new IllegalArgumentException("inconsistent hash result");
        }
        long pieces = (size + pieceLength - 1) / pieceLength;
        if (v1Pieces.length != pieces * 20
                || v2PieceLayer.length != (pieces == 1 ? 0 : pieces * 32)) {
            throw new IllegalArgumentException("hash lengths do not match " + pieces + " pieces");
        }
    }

    public int pieceCount() {
        return v1Pieces.length / 20;
    }

    public String sha256Hex() {
        return HexFormat.of().formatHex(sha256);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HashResult h && size == h.size && pieceLength == h.pieceLength
                && Arrays.equals(sha256, h.sha256) && Arrays.equals(v1Pieces, h.v1Pieces)
                && Arrays.equals(v2PiecesRoot, h.v2PiecesRoot) && Arrays.equals(v2PieceLayer, h.v2PieceLayer);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sha256) * 31 + Arrays.hashCode(v2PiecesRoot);
    }

    @Override
    public String toString() {
        return "HashResult[size=" + size + ", pieceLength=" + pieceLength + ", pieces=" + pieceCount()
                + ", sha256=" + sha256Hex() + ", piecesRoot=" + HexFormat.of().formatHex(v2PiecesRoot) + "]";
    }
}
