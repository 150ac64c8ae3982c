package io.starling.agent.sync;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * How the agent reaches its control plane and identity provider. The enrollment token, the
 * client secret and every bearer token travel on these connections, so: HTTPS trusts exactly the
 * CAs of the bundle given (else the JDK's own list), and plain {@code http://} is refused unless
 * the host is a loopback literal or the admin said {@code --insecure}.
 */
public final class Transport {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private final Optional<Path> caBundle;
    private final TrustManagerFactory trust;
    private final SSLContext ssl;
    private final boolean insecure;

    private Transport(Optional<Path> caBundle, TrustManagerFactory trust, SSLContext ssl, boolean insecure) {
        this.caBundle = caBundle;
        this.trust = trust;
        this.ssl = ssl;
        this.insecure = insecure;
    }

    /** The JDK's trust store, and {@code http://} on loopback only. */
    public static Transport defaults() {
        return new Transport(Optional.empty(), null, null, false);
    }

    /**
     * @param caBundle PEM certificates to trust instead of the JDK's list
     * @throws IllegalArgumentException one line naming the file and what is wrong with it
     */
    public static Transport of(Optional<Path> caBundle, boolean insecure) {
        if (caBundle.isEmpty()) {
            return new Transport(Optional.empty(), null, null, insecure);
        }
        Path file = caBundle.get();
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            int i = 0;
            for (Certificate certificate : readCertificates(file)) {
                anchors.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(anchors);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, trust.getTrustManagers(), null);
            return new Transport(caBundle, trust, ssl, insecure);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("CA bundle " + file + " cannot be used: " + e.getMessage(), e);
        }
    }

    private static Collection<? extends Certificate> readCertificates(Path file) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(file)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("CA bundle " + file + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("CA bundle " + file + " cannot be read: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("CA bundle " + file + " is not a PEM certificate bundle: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("CA bundle " + file + " holds no certificate (expected -----BEGIN CERTIFICATE----- blocks)");
        }
        return certificates;
    }

    public Optional<Path> caBundle() {
        return caBundle;
    }

    /** The bundle's trust managers, for clients the JDK's {@link HttpClient} is not (Vert.x). */
    public Optional<TrustManagerFactory> trustManagers() {
        return Optional.ofNullable(trust);
    }

    public Optional<SSLContext> sslContext() {
        return Optional.ofNullable(ssl);
    }

    /** An HTTP client that trusts what this transport trusts and follows no redirects. */
    public HttpClient.Builder httpClient() {
        HttpClient.Builder builder = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER);
        return ssl == null ? builder : builder.sslContext(ssl);
    }

    /**
     * {@code uri}, if credentials may travel to it.
     *
     * @param what what the URL is for, as the user knows it ("--server", "the token URL")
     * @throws IllegalArgumentException one line saying why and what to do
     */
    public URI require(URI uri, String what) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            throw new IllegalArgumentException(what + " must be an http(s) URL, got " + uri);
        }
        if (scheme.equals("http") && !insecure && !loopback(uri.getHost())) {
            throw new IllegalArgumentException(what + " " + uri + " is plain http to another machine: tokens and secrets "
                    + "would cross the network unencrypted. Use https:// (with --ca-bundle for a private CA), or "
                    + "--insecure (STARLING_AGENT_INSECURE=true) on a network you trust");
        }
        return uri;
    }

    /** {@code localhost}, 127.0.0.0/8 or ::1, by their literal form: no name is resolved. */
    static boolean loopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        Matcher v4 = IPV4.matcher(h);
        if (v4.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(v4.group(i)) > 255) {
                    return false;
                }
            }
            return Integer.parseInt(v4.group(1)) == 127;
        }
        if (h.contains(":")) {
            try {
                // A literal with a colon is parsed, never looked up.
                return InetAddress.getByName(h).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    /** One line for a failed connection, saying what to do when it was the certificate. */
    String explain(URI server, IOException e) {
        return tlsFailure(server, e).orElse(server + " unreachable: " + e);
    }

    /** When {@code e} came from a TLS handshake: one line saying so and what to do. */
    Optional<String> tlsFailure(URI server, Throwable e) {
        SSLException tls = tlsCause(e);
        if (tls == null) {
            return Optional.empty();
        }
        return Optional.of(server + ": TLS failed (" + tls.getMessage() + "). If its certificate comes from a private CA, "
                + "give that CA with --ca-bundle (STARLING_AGENT_CA_BUNDLE)"
                + caBundle.map(file -> "; the CA bundle in use is " + file).orElse(""));
    }

    private static SSLException tlsCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException ssl) {
                return ssl;
            }
        }
        return null;
    }
}
