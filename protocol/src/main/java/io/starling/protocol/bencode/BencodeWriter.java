package io.starling.protocol.bencode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One encoding pass into a growable array. Hand-rolled rather than a ByteArrayOutputStream:
 * the tracker encodes tens of thousands of small responses a second, and this avoids the
 * stream's synchronisation and the {@code Long.toString} garbage per integer.
 */
final class BencodeWriter {

    private byte[] buf = new byte[256];
    private int len;

    private record Entry(byte[] key, Object value) {
    }

    void write(Object value) {
        if (value instanceof byte[] bytes) {
            writeString(bytes);
        } else if (value instanceof String s) {
            writeString(s.getBytes(StandardCharsets.UTF_8));
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short) {
            writeInteger(((Number) value).longValue());
        } else if (value instanceof Map<?, ?> map) {
            writeDictionary(map);
        } else if (value instanceof List<?> list) {
            writeList(list);
        } else if (value instanceof Bencode.Raw raw) {
            writeBytes(raw.bencoded(), raw.bencoded().length);
        } else if (value == null) {
            throw new BencodeException("null has no bencoded form");
        } else {
            throw new BencodeException(value.getClass().getName() + " has no bencoded form");
        }
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, len);
    }

    private void writeString(byte[] bytes) {
        writeDecimal(bytes.length);
        writeByte(':');
        writeBytes(bytes, bytes.length);
    }

    private void writeInteger(long value) {
        writeByte('i');
        writeDecimal(value);
        writeByte('e');
    }

    private void writeList(List<?> list) {
        writeByte('l');
        for (Object item : list) {
            write(item);
        }
        writeByte('e');
    }

    private void writeDictionary(Map<?, ?> map) {
        Entry[] entries = new Entry[map.size()];
        int i = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            entries[i++] = new Entry(keyBytes(e.getKey()), e.getValue());
        }
        // Sorting raw bytes, not Strings: BEP 3 orders keys as raw strings, and UTF-16 order
        // disagrees with UTF-8 byte order once keys leave ASCII.
        Arrays.sort(entries, (a, b) -> Arrays.compareUnsigned(a.key, b.key));
        writeByte('d');
        for (int j = 0; j < entries.length; j++) {
            if (j > 0 && Arrays.equals(entries[j - 1].key, entries[j].key)) {
                throw new BencodeException("duplicate dictionary key \""
                        + new String(entries[j].key, StandardCharsets.UTF_8) + "\"");
            }
            writeString(entries[j].key);
            if (entries[j].value == null) {
                throw new BencodeException("null value for dictionary key \""
                        + new String(entries[j].key, StandardCharsets.UTF_8) + "\"");
            }
            write(entries[j].value);
        }
        writeByte('e');
    }

    private static byte[] keyBytes(Object key) {
        if (key instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        if (key instanceof byte[] bytes) {
            return bytes;
        }
        throw new BencodeException("dictionary keys must be String or byte[], not "
                + (key == null ? "null" : key.getClass().getName()));
    }

    private void writeDecimal(long value) {
        ensure(20);
        if (value == 0) {
            buf[len++] = '0';
            return;
        }
        // Digits are produced from a non-positive value so that Long.MIN_VALUE needs no special case.
        long n = value;
        if (n < 0) {
            buf[len++] = '-';
        } else {
            n = -n;
        }
        int start = len;
        while (n != 0) {
            buf[len++] = (byte) ('0' - (n % 10));
            n /= 10;
        }
        for (int i = start, j = len - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
    }

    private void writeByte(int b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    private void writeBytes(byte[] bytes, int count) {
        ensure(count);
        System.arraycopy(bytes, 0, buf, len, count);
        len += count;
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }
}
