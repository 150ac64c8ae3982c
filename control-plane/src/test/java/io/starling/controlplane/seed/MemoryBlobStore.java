package io.starling.controlplane.seed;

import io.starling.controlplane.catalog.BlobStore;
import io.starling.protocol.testing.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Objects in memory, with no local files, as an S3 store has none. */
final class MemoryBlobStore implements BlobStore {
    final Map<String, byte[]> objects = new HashMap<>();
    int reads;

    String put(byte[] data) {
        String key = Sha256.hex(data);
        objects.put(key, data);
        return key;
    }

    @Override
    public PendingBlob begin() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean exists(String key) {
        return objects.containsKey(key);
    }

    @Override
    public long size(String key) {
        return objects.get(key).length;
    }

    @Override
    public Optional<Path> localFile(String key) {
        return Optional.empty();
    }

    @Override
    public InputStream open(String key, long offset) throws IOException {
        byte[] data = objects.get(key);
        if (data == null) {
            throw new NoSuchFileException(key);
        }
        reads++;
        return new ByteArrayInputStream(data, (int) offset, data.length - (int) offset);
    }

    @Override
    public void delete(String key) {
        objects.remove(key);
    }
}
