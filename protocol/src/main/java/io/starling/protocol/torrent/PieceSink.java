package io.starling.protocol.torrent;

import java.io.IOException;

/**
 * Where hashed pieces go, written by the piece tasks at their offsets, so that storing the bytes
 * runs in parallel with reading the next ones instead of on the reading thread.
 */
@FunctionalInterface
public interface PieceSink {

    /** Called concurrently for different, non-overlapping ranges. */
    void write(long offset, byte[] data, int length) throws IOException;

    PieceSink NONE = (offset, data, length) -> {
    };
}
