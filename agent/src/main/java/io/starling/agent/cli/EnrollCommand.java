package io.starling.agent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.agent.config.AgentConfig;
import io.starling.agent.state.AgentIdentity;
import io.starling.agent.state.AgentIdentityStore;
import io.starling.agent.swarm.PeerIdentity;
import io.starling.agent.sync.AgentDaemon;
import io.starling.agent.sync.ControlPlaneException;
import io.starling.agent.sync.Enrollment;
import io.starling.agent.sync.EnrollmentRefusedException;
import io.starling.agent.sync.Transport;
import io.starling.protocol.agent.EnrollRequest;
import io.starling.protocol.agent.TrustedKey;
import io.starling.protocol.manifest.Ed25519Keys;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "enroll", mixinStandardHelpOptions = true,
        description = {"Enroll this machine with a control plane, once.",
                "Keeps the agent's credentials, tracker passkey and the manifest keys it trusts in the state folder "
                        + "(starling.agent.state-dir, env STARLING_AGENT_STATE_DIR), readable by its owner only."})
public class EnrollCommand implements Callable<Integer> {

    @Option(names = "--server", required = true, paramLabel = "URL", description = "The control plane, e.g. https://starling.example.com")
    String server;

    @Option(names = "--token", required = true, paramLabel = "TOKEN", description = "An enrollment token from an admin.")
    String token;

    @Option(names = "--label", paramLabel = "LABEL", description = "A label to ask for (repeatable).")
    List<String> labels = List.of();

    @Option(names = "--force", description = "Enroll again although this machine is enrolled (the old identity is replaced).")
    boolean force;

    @Option(names = "--ca-bundle", paramLabel = "FILE.pem",
            description = {"Trust exactly these CA certificates (PEM) for HTTPS, instead of the JDK's list.",
                    "Default: starling.agent.ca-bundle (env STARLING_AGENT_CA_BUNDLE); set it for 'run' too."})
    Path caBundle;

    @Option(names = "--insecure",
            description = {"Allow plain http:// to a control plane or token URL that is not on loopback: the token,",
                    "secret and bearer tokens then cross the network unencrypted. Default: starling.agent.insecure."})
    boolean insecure;

    @Option(names = "--manifest-key-fingerprint", paramLabel = "SHA256",
            description = {"Pin a manifest signing key (repeatable): the SHA-256 of its public key (DER), 64 hex digits;",
                    "its first 16 are the key id the console shows. Without this option, the keys the control plane",
                    "sends are trusted as received. Compute it: openssl pkey -pubin -in key.pem -outform DER | sha256sum"})
    List<String> manifestKeyFingerprints = List.of();

    @Option(names = "--root-key-fingerprint", paramLabel = "SHA256",
            description = {"Pin the offline root key that vouches for the manifest keys: the SHA-256 of its public key",
                    "(DER), 64 hex digits, as 'starling-agent keys init-root' printed it. The agent then follows key",
                    "rotations and revocations the root signs, without enrolling again. Without this option, a root",
                    "key the control plane sends is trusted as received."})
    String rootKeyFingerprint;

    @Inject
    AgentConfig config;

    @Inject
    ObjectMapper json;

    @Override
    public Integer call() {
        AgentIdentityStore store = new AgentIdentityStore(config.stateDir());
        try {
            var existing = store.load();
            if (existing.isPresent() && !force) {
                System.err.println("starling-agent: already enrolled as agent " + existing.get().agentId() + " with "
                        + existing.get().serverUrl() + " (state in " + config.stateDir() + "); use --force to enroll again");
                return ExitCodes.USAGE;
            }
            URI uri = serverUri(server);
            Transport transport = Transport.of(Optional.ofNullable(caBundle).or(config::caBundle), insecure || config.insecure());
            Enrollment enrollment = new Enrollment(transport, manifestKeyFingerprints, rootKeyFingerprint, json,
                    config.checkIn().requestTimeout());
            // The swarm key goes with the request, so that the answer brings the first peer certificate
            // and the first download need not wait for a check-in to bring one.
            PeerIdentity peer = PeerIdentity.forEnrollment(config.stateDir());
            Enrollment.Enrolled enrolled = enrollment.enroll(uri, new EnrollRequest(token,
                    InetAddress.getLocalHost().getHostName(), AgentDaemon.VERSION, labels, peer.publicKeyBase64()));
            AgentIdentity identity = enrolled.identity();
            store.save(identity);
            try {
                peer.enrolled(enrolled.peerCertificate());
            } catch (IllegalArgumentException e) {
                System.err.println("starling-agent: the peer certificate of the answer is not taken (" + e.getMessage()
                        + "); the first check-in asks for one");
            }
            System.out.println("Enrolled as agent " + identity.agentId()
                    + (identity.site() == null ? "" : " in site " + identity.site())
                    + ". State: " + config.stateDir() + ". Start it with: starling-agent run");
            printKeys(identity.manifestKeys(), enrolled.dropped(), !manifestKeyFingerprints.isEmpty());
            if (identity.rootKey() != null) {
                System.out.println("Root key " + (rootKeyFingerprint == null
                        ? "(as received; pin it with --root-key-fingerprint)" : "(pinned)") + ": "
                        + identity.rootKey().keyId() + "  sha256 " + fingerprint(identity.rootKey())
                        + (identity.keySet() == null ? "; no key set yet" : "; manifest keys follow the key sets it signs"));
            }
            if (caBundle != null && config.caBundle().isEmpty()) {
                System.out.println("The agent must trust the same CAs when it runs: set STARLING_AGENT_CA_BUNDLE="
                        + caBundle.toAbsolutePath() + " (e.g. in /etc/starling-agent/agent.env).");
            }
            if (insecure && !config.insecure()) {
                System.out.println("Enrolled with --insecure: 'run' needs STARLING_AGENT_INSECURE=true as well, "
                        + "or it refuses plain http beyond loopback.");
            }
            return ExitCodes.OK;
        } catch (IllegalArgumentException e) {
            System.err.println("starling-agent: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (EnrollmentRefusedException e) {
            System.err.println("starling-agent: enrollment refused: " + e.getMessage());
            return ExitCodes.FAILED;
        } catch (ControlPlaneException e) {
            System.err.println("starling-agent: enrollment failed: " + e.getMessage());
            return e.status() == 0 ? ExitCodes.UNREACHABLE : ExitCodes.FAILED;
        } catch (IOException | RuntimeException e) {
            System.err.println("starling-agent: enrollment failed: " + e);
            return ExitCodes.FAILED;
        }
    }

    /** The fingerprint of every trusted key, so that the admin can compare them with the console's. */
    private static void printKeys(List<TrustedKey> kept, List<TrustedKey> dropped, boolean pinned) {
        System.out.println("Manifest keys trusted" + (pinned ? " (pinned)" : " (as received; pin them with --manifest-key-fingerprint)")
                + ":");
        for (TrustedKey key : kept) {
            System.out.println("  " + key.keyId() + "  sha256 " + fingerprint(key));
        }
        for (TrustedKey key : dropped) {
            System.out.println("  not trusted, no pin names it: " + key.keyId() + "  sha256 " + fingerprint(key));
        }
    }

    private static String fingerprint(TrustedKey key) {
        try {
            return Ed25519Keys.fingerprint(Ed25519Keys.readPublicKey(key.publicKey()));
        } catch (IllegalArgumentException | NullPointerException e) {
            return "(not an Ed25519 public key)";
        }
    }

    static URI serverUri(String value) {
        URI uri;
        try {
            uri = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--server " + value + " is not a URL");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("--server must be an http(s) URL, got " + value);
        }
        return uri;
    }
}
