package io.starling.protocol.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/** Damage to a file on disk, as a failing disk or a tampering hand would do it. */
public final class Corrupt {

    private Corrupt() {
    }

    /** Flips every bit of the byte at {@code offset}, in place: that piece no longer passes its hash. */
    public static void byteAt(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0xff);
        }
    }
}
