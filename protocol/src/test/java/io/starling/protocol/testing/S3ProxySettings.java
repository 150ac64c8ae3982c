package io.starling.protocol.testing;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The settings file of S3Proxy ({@code org.gaul:s3proxy}, the runnable jar) as the tests run it:
 * objects kept as files under a folder ({@code filesystem-nio2}), one identity and credential for
 * S3 requests (signature v2 or v4) and for the folder's provider.
 */
public final class S3ProxySettings {

    private S3ProxySettings() {
    }

    /** The lines of the file given to {@code java -jar s3proxy.jar --properties}. */
    public static List<String> lines(URI endpoint, String identity, String credential, Path data) {
        return List.of(
                "s3proxy.endpoint=" + endpoint,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + identity,
                "s3proxy.credential=" + credential,
                "jclouds.provider=filesystem-nio2",
                "jclouds.identity=" + identity,
                "jclouds.credential=" + credential,
                "jclouds.filesystem.basedir=" + data);
    }
}
