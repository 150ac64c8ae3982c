package io.starling.protocol.torrent;

/**
 * Where each piece's hashes are written: a chunk that already exists when the piece is handed to
 * the hashing tasks, and the piece's offset in it, so that tasks never resize what they write to.
 */
interface PieceSlots {

    byte[] v1Chunk(int piece);

    int v1Offset(int piece);

    byte[] layerChunk(int piece);

    int layerOffset(int piece);

    /** The first {@code pieces} SHA-1 hashes, back to back. */
    byte[] v1Hashes(int pieces);

    /** The first {@code pieces} piece-layer nodes, back to back. */
    byte[] layerHashes(int pieces);
}
