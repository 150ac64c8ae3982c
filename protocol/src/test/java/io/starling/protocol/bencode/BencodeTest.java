package io.starling.protocol.bencode;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BencodeTest {

    private static String encoded(Object value) {
        return new String(Bencode.encode(value), ISO_8859_1);
    }

    private static Object decoded(String bencoded) {
        return Bencode.decode(bencoded.getBytes(ISO_8859_1));
    }

    @Test
    void encodesTheBep3Examples() {
        assertThat(encoded("spam")).isEqualTo("4:spam");
        assertThat(encoded("")).isEqualTo("0:");
        assertThat(encoded(3L)).isEqualTo("i3e");
        assertThat(encoded(-3)).isEqualTo("i-3e");
        assertThat(encoded((short) 0)).isEqualTo("i0e");
        assertThat(encoded(List.of("spam", "eggs"))).isEqualTo("l4:spam4:eggse");
        assertThat(encoded(Map.of("cow", "moo", "spam", "eggs"))).isEqualTo("d3:cow3:moo4:spam4:eggse");
        assertThat(encoded(Map.of("spam", List.of("a", "b")))).isEqualTo("d4:spaml1:a1:bee");
    }

    @Test
    void encodesTheExtremeIntegers() {
        assertThat(encoded(Long.MIN_VALUE)).isEqualTo("i-9223372036854775808e");
        assertThat(encoded(Long.MAX_VALUE)).isEqualTo("i9223372036854775807e");
        assertThat(decoded("i-9223372036854775808e")).isEqualTo(Long.MIN_VALUE);
        assertThat(decoded("i9223372036854775807e")).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void stringsAreUtf8AndByteArraysAreRaw() {
        assertThat(Bencode.encode("é")).containsExactly('2', ':', 0xc3, 0xa9);
        assertThat(Bencode.encode(new byte[] {0, (byte) 0xff})).containsExactly('2', ':', 0, 0xff);
    }

    @Test
    void dictionaryKeysAreSortedByUnsignedRawBytes() {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put(new byte[] {(byte) 0x80}, 1);
        map.put("b", 2);
        map.put("a", 3);
        map.put(new byte[] {0x7f}, 4);
        assertThat(Bencode.encode(map)).containsExactly(
                'd', '1', ':', 'a', 'i', '3', 'e', '1', ':', 'b', 'i', '2', 'e',
                '1', ':', 0x7f, 'i', '4', 'e', '1', ':', 0x80, 'i', '1', 'e', 'e');
    }

    @Test
    void keysOutsideTheBmpSortByUtf8NotByUtf16() {
        // U+FF61 sorts after U+1F600 in UTF-16 (surrogates are 0xD8xx) but before it in UTF-8.
        String halfwidth = "\uFF61";
        String emoji = "\uD83D\uDE00";
        TreeMap<String, Object> utf16Order = new TreeMap<>(Map.of(halfwidth, 1, emoji, 2));
        assertThat(utf16Order.firstKey()).isEqualTo(emoji);
        String utf8Order = "d" + encoded(halfwidth) + "i1e" + encoded(emoji) + "i2ee";
        assertThat(encoded(utf16Order)).isEqualTo(utf8Order);
    }

    @Test
    void duplicateKeysAreRefusedWhenEncoding() {
        Map<Object, Object> map = new HashMap<>();
        map.put("a", 1);
        map.put(new byte[] {'a'}, 2);
        assertThatThrownBy(() -> Bencode.encode(map))
                .isInstanceOf(BencodeException.class).hasMessageContaining("duplicate");
    }

    @Test
    void valuesWithoutABencodedFormAreRefused() {
        assertThatThrownBy(() -> Bencode.encode(1.5)).isInstanceOf(BencodeException.class);
        assertThatThrownBy(() -> Bencode.encode(Map.of(1, "x"))).isInstanceOf(BencodeException.class);
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("a", null);
        assertThatThrownBy(() -> Bencode.encode(withNull)).hasMessageContaining("null");
    }

    @Test
    void rawValuesAreEmbeddedVerbatim() {
        byte[] info = Bencode.encode(Map.of("name", "x"));
        assertThat(encoded(Map.of("info", new Bencode.Raw(info)))).isEqualTo("d4:info" + new String(info, ISO_8859_1) + "e");
    }

    @Test
    void encodingToAStreamWritesTheSameBytesInOneCall() {
        Object value = Map.of("interval", 1800, "peers", new byte[6]);
        class CountingStream extends ByteArrayOutputStream {
            int writes;

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                writes++;
                super.write(b, off, len);
            }
        }
        CountingStream out = new CountingStream();
        Bencode.encode(value, out);
        assertThat(out.toByteArray()).isEqualTo(Bencode.encode(value));
        assertThat(out.writes).isEqualTo(1);
    }

    @Test
    void decodesIntoLongsByteArraysListsAndOrderedMaps() {
        Object value = decoded("d4:spaml1:ai-42ee3:cow3:mooe");
        assertThat(value).isInstanceOf(LinkedHashMap.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        assertThat(map.keySet()).containsExactly("spam", "cow");
        List<?> spam = (List<?>) map.get("spam");
        assertThat((byte[]) spam.get(0)).isEqualTo("a".getBytes(UTF_8));
        assertThat(spam.get(1)).isEqualTo(-42L);
    }

    @Test
    void binaryKeysSurviveDecodingByteForByte() {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 37 + 200);
        }
        byte[] bencoded = Bencode.encode(Map.of(key, "layer"));
        Map<?, ?> decoded = (Map<?, ?>) Bencode.decode(bencoded);
        String decodedKey = (String) decoded.keySet().iterator().next();
        assertThat(Bencode.keyBytes(decodedKey)).isEqualTo(key);
        assertThat(Bencode.encode(Map.of(Bencode.keyBytes(decodedKey), decoded.get(decodedKey)))).isEqualTo(bencoded);
    }

    @Test
    void unsortedKeysAreTolerated() {
        assertThat(new java.util.ArrayList<Object>(((Map<?, ?>) decoded("d1:bi1e1:ai2ee")).keySet())).containsExactly("b", "a");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "i01e", "i-0e", "i-01e", "ie", "i-e", "i1", "i12a3e", "i9223372036854775808e", "i-9223372036854775809e",
        "01:a", "5:abc", "99999999999999999999:a", "-1:a", "3abc",
        "l", "li1e", "d", "d1:a", "d1:ai1e", "di1ei2ee", "d1:ai1e1:ai2ee",
        "i1ei2e", "4:spamx", "", "x", "le ", "e"
    })
    void malformedInputIsRefused(String input) {
        assertThatThrownBy(() -> decoded(input)).isInstanceOf(BencodeException.class)
                .hasMessageMatching(".*(offset|input).*");
    }

    @Test
    void nestingIsLimitedTo64Levels() {
        assertThat(decoded("l".repeat(64) + "e".repeat(64))).isInstanceOf(List.class);
        assertThatThrownBy(() -> decoded("l".repeat(65) + "e".repeat(65)))
                .isInstanceOf(BencodeException.class).hasMessageContaining("nesting");
        assertThatThrownBy(() -> decoded("l".repeat(100_000)))
                .isInstanceOf(BencodeException.class).hasMessageContaining("nesting");
    }

    @Test
    void truncationIsReportedWithItsOffset() {
        assertThatThrownBy(() -> decoded("l4:spam")).hasMessage("truncated input: unexpected end at offset 7");
    }

    @Test
    void encodeThenDecodeRoundTrips() {
        Map<String, Object> original = Map.of(
                "announce", "http://t/announce",
                "info", Map.of("length", 12345L, "name", "a.zip", "pieces", new byte[40]),
                "url-list", List.of("http://w/1", "http://w/2"));
        byte[] once = Bencode.encode(original);
        assertThat(Bencode.encode(Bencode.decode(once))).isEqualTo(once);
    }
}
