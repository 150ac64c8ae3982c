package io.starling.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The quick start's local CA and server certificate ({@code deploy/control-plane/local-tls.sh}), and clients that trust it. */
public final class LocalTls {

    private LocalTls() {
    }

    /** Makes (or keeps) the CA and the certificate for 127.0.0.1 in {@code dir}; returns {@code dir}. */
    public static Path make(Path repo, Path dir) throws IOException, InterruptedException {
        Processes.run(repo, Duration.ofMinutes(1), repo.resolve("deploy/control-plane/local-tls.sh").toString(), dir.toString());
        return dir;
    }

    /** An HTTP client that trusts exactly the CA certificates in this PEM file. */
    public static HttpClient client(Path caPem) {
        return HttpClient.newBuilder().sslContext(trusting(caPem)).build();
    }

    public static SSLContext trusting(Path caPem) {
        try (InputStream in = Files.newInputStream(caPem)) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot trust " + caPem + ": " + e.getMessage(), e);
        }
    }
}
