package io.starling.protocol.testing;

import java.util.concurrent.ThreadLocalRandom;

/** File contents for tests. */
public final class TestBytes {

    private TestBytes() {
    }

    /**
     * {@code size} bytes where byte i is (i * 31 + 7) % 251: deterministic, shared with
     * reference_torrents.py, and no two neighbouring pieces alike (251 is a prime that divides no
     * piece length).
     */
    public static byte[] pattern(int size) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) ((i * 31L + 7) % 251);
        }
        return data;
    }

    /** {@code size} random bytes, as an upload of a real build would look. */
    public static byte[] random(int size) {
        byte[] data = new byte[size];
        ThreadLocalRandom.current().nextBytes(data);
        return data;
    }
}
