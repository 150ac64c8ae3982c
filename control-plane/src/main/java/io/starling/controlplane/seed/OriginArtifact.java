package io.starling.controlplane.seed;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One artifact as the origin seeder sees it.
 *
 * @param infoHashV1 hex SHA-1 of the info dictionary: the torrent's name in the session and on disk
 * @param name       the file name inside the torrent
 * @param sha256     hex SHA-256 of the whole file, which the background verification checks
 * @param torrent    a .torrent around the published info dictionary, with no tracker and no web seed
 * @param blob       the file in the blob store holding the bytes
 * @param hashedAt   when the upload hashed those bytes as it stored them: a check of its own
 */
public record OriginArtifact(String infoHashV1, String name, long size, String sha256, byte[] torrent, Path blob,
                             Instant hashedAt) {

    static final Pattern INFO_HASH_V1 = Pattern.compile("^[0-9a-f]{40}$");

    public OriginArtifact {
        if (!INFO_HASH_V1.matcher(infoHashV1).matches()) {
            throw new IllegalArgumentException("not a hex v1 info-hash: " + infoHashV1);
        }
        Objects.requireNonNull(hashedAt, "hashedAt");
    }

    /** Bytes whose upload time is not known: the first scheduled pass reads them. */
    public OriginArtifact(String infoHashV1, String name, long size, String sha256, byte[] torrent, Path blob) {
        this(infoHashV1, name, size, sha256, torrent, blob, Instant.EPOCH);
    }

    @Override
    public String toString() {
        return name + " (" + infoHashV1 + ")";
    }
}
