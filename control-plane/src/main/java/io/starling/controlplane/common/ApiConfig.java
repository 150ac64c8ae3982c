package io.starling.controlplane.common;

import io.quarkus.runtime.annotations.StaticInitSafe;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Limits of the REST API. Static-init safe because Quarkus builds its ObjectMapper, which reads
 * {@link #maxJsonBody()}, during static init (on the JVM the same sources apply then); a prefix of
 * its own because a static-init mapping owns its whole namespace at that point.
 */
@StaticInitSafe
@ConfigMapping(prefix = "starling.api")
public interface ApiConfig {

    /**
     * Longest JSON request body read, in bytes. The API reads a JSON body whole before it can
     * check it, so without a bound one request could fill the heap. 2 MiB holds the largest
     * legitimate body (a deployment naming 10,000 agents is about 400 KB). Artifact uploads are
     * not JSON and have their own limit.
     */
    @WithDefault("2M")
    MemorySize maxJsonBody();
}
