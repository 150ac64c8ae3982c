package io.starling.agent.sync;

import io.quarkus.tls.BaseTlsConfiguration;
import io.vertx.core.net.TrustOptions;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The CA bundle as a Quarkus TLS configuration, so that the OIDC client (Vert.x, not the JDK's
 * HTTP client) trusts exactly what {@link Transport} trusts when it fetches tokens.
 */
final class BundleTlsConfiguration extends BaseTlsConfiguration {

    static final String NAME = "starling-agent-ca-bundle";

    private final TrustManagerFactory trust;
    private final SSLContext ssl;

    BundleTlsConfiguration(TrustManagerFactory trust, SSLContext ssl) {
        this.trust = trust;
        this.ssl = ssl;
    }

    @Override
    public TrustOptions getTrustStoreOptions() {
        return TrustOptions.wrap(trust);
    }

    @Override
    public SSLContext createSSLContext() {
        return ssl;
    }

    /** Host names are checked as browsers check them. */
    @Override
    public Optional<String> getHostnameVerificationAlgorithm() {
        return Optional.of("HTTPS");
    }

    @Override
    public String getName() {
        return NAME;
    }
}
