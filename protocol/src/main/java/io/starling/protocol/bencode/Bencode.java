package io.starling.protocol.bencode;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Bencoding (BEP 3), the wire format of trackers and .torrent files.
 *
 * <p>Encoding takes {@code Long}, {@code Integer} and {@code Short} (integers), {@code byte[]}
 * (raw strings), {@code String} (UTF-8 strings), {@code List<?>}, {@code Map<?, ?>} with
 * {@code String} (UTF-8) or {@code byte[]} (raw) keys, and {@link Raw} (already bencoded bytes,
 * copied verbatim). Dictionary keys are written sorted by their raw bytes, compared unsigned, as
 * BEP 3 requires; two keys with the same bytes are refused.
 *
 * <p>Decoding returns {@code Long}, {@code byte[]}, {@code List<Object>} and
 * {@code Map<String, Object>} (a {@code LinkedHashMap} in input order). Dictionary keys are
 * decoded as ISO-8859-1, one char per byte, so that binary keys (the 32-byte pieces roots of
 * {@code piece layers}) survive byte for byte; {@link #keyBytes(String)} turns such a key back
 * into its bytes. Note the asymmetry: {@link #encode(Object)} writes {@code String} keys as
 * UTF-8, so a decoded dictionary with non-ASCII keys must have its keys converted with
 * {@code keyBytes} before it is encoded again.
 *
 * <p>The decoder is strict, because it reads what peers and admins send: it refuses leading
 * zeros, {@code -0}, integers beyond 64 bits, string lengths beyond the input, duplicate keys,
 * truncated input, trailing bytes and nesting deeper than {@value BencodeReader#MAX_DEPTH}. It
 * tolerates unsorted keys, which some old clients still write.
 */
public final class Bencode {

    /** Bytes that are already bencoded: a pre-built info dictionary, embedded byte for byte. */
    public record Raw(byte[] bencoded) {
        public Raw {
            if (bencoded == null || bencoded.length == 0) {
                throw new IllegalArgumentException("raw bencoded value must not be empty");
            }
        }
    }

    private Bencode() {
    }

    public static byte[] encode(Object value) {
        BencodeWriter writer = new BencodeWriter();
        writer.write(value);
        return writer.toByteArray();
    }

    /**
     * Encodes into one buffer and hands it to {@code out} in a single write, so that an
     * unbuffered stream (a socket, a servlet response) sees one call instead of one per token.
     */
    public static void encode(Object value, OutputStream out) {
        BencodeWriter writer = new BencodeWriter();
        writer.write(value);
        try {
            writer.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Object decode(byte[] bencoded) {
        return new BencodeReader(bencoded).readDocument();
    }

    /** The raw bytes of a dictionary key returned by {@link #decode(byte[])}. */
    public static byte[] keyBytes(String decodedKey) {
        return decodedKey.getBytes(StandardCharsets.ISO_8859_1);
    }
}
