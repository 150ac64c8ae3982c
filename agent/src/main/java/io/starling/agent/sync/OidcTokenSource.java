package io.starling.agent.sync;

import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.OidcClientConfigBuilder;
import io.quarkus.oidc.client.OidcClients;
import io.quarkus.oidc.client.Tokens;
import io.quarkus.oidc.client.runtime.OidcClientConfig;
import io.quarkus.tls.TlsConfigurationRegistry;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * The agent's client-credentials grant against its own Keycloak client, through
 * quarkus-oidc-client. Tokens are renewed when they come within {@link #RENEW_BEFORE} of expiry,
 * so that a check-in never travels with a token that expires on the way.
 */
public final class OidcTokenSource implements TokenSource, AutoCloseable {

    static final Duration RENEW_BEFORE = Duration.ofSeconds(30);

    /** The OIDC client logs a TLS failure but throws without it as the cause: point at the log. */
    private static final String TLS_HINT = " (if the log above shows a TLS or PKIX error: give the CA of the identity "
            + "provider's certificate with STARLING_AGENT_CA_BUNDLE)";

    private final OidcClient client;
    private final Duration timeout;
    private final Transport transport;
    private final URI tokenUrl;
    private Tokens tokens;

    /**
     * @param transport what the token URL must satisfy (https, or http on loopback unless insecure)
     *                  and the CA bundle to trust there
     * @param tls       where the CA bundle is registered for the OIDC client
     * @throws IllegalArgumentException when credentials may not be sent to {@code tokenUrl}
     */
    public OidcTokenSource(OidcClients clients, String tokenUrl, String clientId, String clientSecret, Duration timeout,
            Transport transport, TlsConfigurationRegistry tls) {
        URI uri = transport.require(URI.create(tokenUrl), "The token URL (from enrollment)");
        OidcClientConfigBuilder builder = new OidcClientConfigBuilder();
        if ("https".equalsIgnoreCase(uri.getScheme()) && transport.trustManagers().isPresent()) {
            tls.register(BundleTlsConfiguration.NAME,
                    new BundleTlsConfiguration(transport.trustManagers().get(), transport.sslContext().orElseThrow()));
            builder.tlsConfigurationName(BundleTlsConfiguration.NAME);
        }
        OidcClientConfig config = builder
                .id("agent")
                // The token URL came from the control plane at enrollment; no discovery round trip.
                .authServerUrl(tokenUrl)
                .discoveryEnabled(false)
                .tokenPath(tokenUrl)
                .clientId(clientId)
                .credentials(clientSecret)
                .grant(OidcClientConfig.Grant.Type.CLIENT)
                .refreshTokenTimeSkew(RENEW_BEFORE)
                .accessTokenExpirySkew(RENEW_BEFORE)
                .earlyTokensAcquisition(false)
                .build();
        this.client = clients.newClient(config).await().atMost(timeout);
        this.timeout = timeout;
        this.transport = transport;
        this.tokenUrl = uri;
    }

    @Override
    public synchronized String accessToken() {
        if (tokens == null || tokens.isAccessTokenExpired() || tokens.isAccessTokenWithinRefreshInterval()) {
            try {
                tokens = client.getTokens().await().atMost(timeout);
            } catch (RuntimeException e) {
                tokens = null;
                int status = statusOf(e);
                throw new ControlPlaneException(status, "Cannot get a token from "
                        + transport.tlsFailure(tokenUrl, e).orElse("the identity provider: " + oneLine(e)
                                + (status == 0 && "https".equalsIgnoreCase(tokenUrl.getScheme()) ? TLS_HINT : "")), e);
            }
        }
        return tokens.getAccessToken();
    }

    @Override
    public synchronized void invalidate() {
        tokens = null;
    }

    /** A refused client (disabled or deleted in Keycloak) is a 401; anything else counts as unreachable. */
    private static int statusOf(Throwable e) {
        String text = String.valueOf(e.getMessage());
        return text.contains("invalid_client") || text.contains("unauthorized_client") || text.contains("401") ? 401 : 0;
    }

    private static String oneLine(Throwable e) {
        String text = String.valueOf(e.getMessage());
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
