package io.starling.protocol.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One file of a release, as the agent must find it after download.
 *
 * @param sha256      SHA-256 of the whole file, lowercase hex
 * @param infoHashV1  SHA-1 of the torrent's info dictionary, lowercase hex (40)
 * @param infoHashV2  SHA-256 of the same info dictionary, full 32 bytes, lowercase hex (64)
 * @param pieceLength the torrent's piece length
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArtifactEntry(
        @JsonProperty(required = true) String name,
        @JsonProperty(required = true) long size,
        @JsonProperty(required = true) String sha256,
        @JsonProperty(required = true) String infoHashV1,
        @JsonProperty(required = true) String infoHashV2,
        @JsonProperty(required = true) int pieceLength) {

    private static final int MAX_NAME_LENGTH = 200;

    /**
     * A name that is safe as a single path element on every agent OS: letters, digits and
     * {@code . _ - +}, not starting with a dot (no {@code ..}, no hidden files) or a dash (no
     * option injection when an install command mentions it). Anything else could escape the
     * release folder or mean different files on different file systems.
     */
    public static boolean isSafeName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH
                || name.charAt(0) == '.' || name.charAt(0) == '-') {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-' || c == '+';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
