package io.starling.protocol.bencode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A strict recursive-descent decoder over one complete document; see {@link Bencode}. */
final class BencodeReader {

    /** Deep enough for any torrent or tracker message; shallow enough that the stack never overflows. */
    static final int MAX_DEPTH = 64;

    private final byte[] in;
    private int pos;

    BencodeReader(byte[] in) {
        if (in == null) {
            throw new BencodeException("no input");
        }
        this.in = in;
    }

    Object readDocument() {
        Object value = readValue(0);
        if (pos != in.length) {
            throw new BencodeException((in.length - pos) + " trailing bytes after the value at offset " + pos);
        }
        return value;
    }

    private Object readValue(int depth) {
        int b = peek();
        switch (b) {
            case 'i':
                return readInteger();
            case 'l':
                return readList(enter(depth));
            case 'd':
                return readDictionary(enter(depth));
            default:
                if (b >= '0' && b <= '9') {
                    return readString();
                }
                throw new BencodeException("unexpected byte 0x" + Integer.toHexString(b) + " at offset " + pos);
        }
    }

    private int enter(int depth) {
        if (depth >= MAX_DEPTH) {
            throw new BencodeException("nesting deeper than " + MAX_DEPTH + " at offset " + pos);
        }
        return depth + 1;
    }

    private Long readInteger() {
        int start = pos;
        pos++; // 'i'
        boolean negative = peek() == '-';
        if (negative) {
            pos++;
        }
        int digitsStart = pos;
        // Accumulated negatively so that Long.MIN_VALUE fits.
        long n = 0;
        while (peek() != 'e') {
            int d = digit(in[pos]);
            if (n < (Long.MIN_VALUE + d) / 10) {
                throw new BencodeException("integer out of range at offset " + start);
            }
            n = n * 10 - d;
            pos++;
        }
        int digits = pos - digitsStart;
        pos++; // 'e'
        if (digits == 0) {
            throw new BencodeException("integer without digits at offset " + start);
        }
        if (digits > 1 && in[digitsStart] == '0') {
            throw new BencodeException("integer with a leading zero at offset " + start);
        }
        if (negative && n == 0) {
            throw new BencodeException("negative zero at offset " + start);
        }
        if (!negative && n == Long.MIN_VALUE) {
            throw new BencodeException("integer out of range at offset " + start);
        }
        return negative ? n : -n;
    }

    private byte[] readString() {
        int start = pos;
        long length = 0;
        while (peek() != ':') {
            length = length * 10 + digit(in[pos]);
            pos++;
            if (length > in.length) {
                // Stop before the number can overflow; it is too long for this input anyway.
                throw new BencodeException("string length at offset " + start + " exceeds the input");
            }
        }
        if (pos - start > 1 && in[start] == '0') {
            throw new BencodeException("string length with a leading zero at offset " + start);
        }
        pos++; // ':'
        if (length > in.length - pos) {
            throw new BencodeException("string of " + length + " bytes at offset " + start
                    + " exceeds the " + (in.length - pos) + " bytes left");
        }
        byte[] value = Arrays.copyOfRange(in, pos, pos + (int) length);
        pos += (int) length;
        return value;
    }

    private List<Object> readList(int depth) {
        pos++; // 'l'
        List<Object> list = new ArrayList<>();
        while (peek() != 'e') {
            list.add(readValue(depth));
        }
        pos++;
        return list;
    }

    private Map<String, Object> readDictionary(int depth) {
        pos++; // 'd'
        Map<String, Object> map = new LinkedHashMap<>();
        while (peek() != 'e') {
            int keyOffset = pos;
            int b = peek();
            if (b < '0' || b > '9') {
                throw new BencodeException("dictionary key at offset " + keyOffset + " is not a string");
            }
            String key = new String(readString(), StandardCharsets.ISO_8859_1);
            if (map.put(key, readValue(depth)) != null) {
                throw new BencodeException("duplicate dictionary key at offset " + keyOffset);
            }
        }
        pos++;
        return map;
    }

    private int peek() {
        if (pos >= in.length) {
            throw new BencodeException("truncated input: unexpected end at offset " + pos);
        }
        return in[pos] & 0xff;
    }

    private int digit(byte b) {
        if (b < '0' || b > '9') {
            throw new BencodeException("expected a digit at offset " + pos + ", found 0x"
                    + Integer.toHexString(b & 0xff));
        }
        return b - '0';
    }
}
