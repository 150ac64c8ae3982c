package io.starling.protocol.torrent;

/**
 * Chooses the piece length of a torrent.
 *
 * <p>Aims at 1000–2000 pieces: the v1 {@code pieces} string (20 bytes a piece) sits in every
 * info dictionary and the v2 piece layer (32 bytes a piece) in every .torrent, so many small
 * pieces make metadata heavy, while few large ones make a peer wait longer before it has a whole
 * piece to share and re-download more after a bad piece. The floor of 256 KiB keeps per-piece
 * costs (requests, HAVE messages, hash checks) small for small files; the ceiling of 16 MiB is
 * where libtorrent and most clients stop being comfortable, so very large files simply get more
 * pieces. BEP 52 requires a power of two of at least 16 KiB, which every choice here is.
 */
public final class PieceLength {

    public static final int MIN = 256 * 1024;
    public static final int MAX = 16 * 1024 * 1024;
    private static final long TARGET_MIN_PIECES = 1000;

    private PieceLength() {
    }

    /** The largest power of two that still yields at least 1000 pieces, clamped to [MIN, MAX]. */
    public static int choose(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        long ideal = Long.highestOneBit(Math.max(1, size / TARGET_MIN_PIECES));
        return (int) Math.min(MAX, Math.max(MIN, ideal));
    }
}
