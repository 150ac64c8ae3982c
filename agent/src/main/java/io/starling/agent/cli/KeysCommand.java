package io.starling.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.protocol.keys.KeySet;
import io.starling.protocol.keys.KeySetRejectedException;
import io.starling.protocol.keys.KeySetSigner;
import io.starling.protocol.keys.OnlineKey;
import io.starling.protocol.keys.SignedKeySet;
import io.starling.protocol.manifest.Ed25519Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The offline root key's tools, run on the admin's machine (never the control plane's): make the
 * root, sign the set of manifest keys agents trust, show a key's fingerprint. docs/operations.md,
 * "Rotating the manifest signing key", walks through a rotation.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = {"Offline root key: create it, sign key sets with it, show fingerprints.",
                "Run these on the machine that keeps the root key, not on the control plane."},
        subcommands = {KeysCommand.InitRoot.class, KeysCommand.Sign.class, KeysCommand.Fingerprint.class})
public class KeysCommand {

    @Command(name = "init-root", mixinStandardHelpOptions = true,
            description = {"Create the root key: FILE (private, 0600, keep it offline) and FILE's .pub.pem (public:",
                    "starling.signing.root-key on the control plane). Prints the fingerprint agents pin."})
    static class InitRoot implements Callable<Integer> {

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where the private key goes, e.g. root.pem")
        Path out;

        @Override
        public Integer call() {
            KeyPair root = Ed25519Keys.generate();
            Path pub = publicFileOf(out);
            try {
                Path dir = out.toAbsolutePath().getParent();
                Files.createDirectories(dir);
                // CREATE_NEW: an existing root is never overwritten by a slip of the hand.
                Files.write(Files.createFile(out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                        Ed25519Keys.toPem(root.getPrivate()).getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
                Files.writeString(pub, Ed25519Keys.toPem(root.getPublic()), StandardCharsets.US_ASCII);
            } catch (FileAlreadyExistsException e) {
                System.err.println("starling-agent: " + out + " exists; a root key is never overwritten");
                return ExitCodes.USAGE;
            } catch (IOException e) {
                System.err.println("starling-agent: cannot write the root key: " + e);
                return ExitCodes.FAILED;
            }
            System.out.println("Root key " + Ed25519Keys.keyId(root.getPublic()) + " written to " + out
                    + " (private: keep it offline) and " + pub + " (public: starling.signing.root-key).");
            System.out.println("Fingerprint, for enroll --root-key-fingerprint: " + Ed25519Keys.fingerprint(root.getPublic()));
            return ExitCodes.OK;
        }

        static Path publicFileOf(Path privateFile) {
            String name = privateFile.getFileName().toString();
            String base = name.endsWith(".pem") ? name.substring(0, name.length() - 4) : name;
            return privateFile.resolveSibling(base + ".pub.pem");
        }
    }

    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = {"Sign a key set with the root: the manifest keys agents accept from now on.",
                    "Upload the output: curl -X PUT -H 'Content-Type: application/json' --data @keyset.json",
                    "  $SERVER/api/v1/signing-keys/key-set"})
    static class Sign implements Callable<Integer> {

        @Option(names = "--root", required = true, paramLabel = "FILE", description = "The root's private key (init-root --out).")
        Path root;

        @Option(names = "--keys", paramLabel = "FILE.json",
                description = {"The control plane's keys, as GET /api/v1/signing-keys answers: every key in it is trusted",
                        "except those revoked (by --revoke, or already REVOKED there)."})
        Path keys;

        @Option(names = "--key", paramLabel = "FILE.pem", description = "A public key to trust (repeatable), e.g. a key file's.")
        List<Path> keyFiles = List.of();

        @Option(names = "--revoke", paramLabel = "KEY_ID", description = "A key id agents must never trust again (repeatable).")
        List<String> revoke = List.of();

        @Option(names = "--reset-sequence", paramLabel = "PRODUCT=SEQUENCE",
                description = {"After a stolen key signed releases far ahead: agents above SEQUENCE for PRODUCT lower",
                        "their rollback floor to it, once (repeatable). Use the last genuine sequence."})
        Map<String, Long> resets = new LinkedHashMap<>();

        @Option(names = "--version", paramLabel = "N", description = "Above every earlier set's. Default: the time, in seconds since 1970.")
        Long version;

        @Option(names = "--valid-for", paramLabel = "DURATION", defaultValue = "P365D",
                description = "How long agents accept the set; sign a new one before. ISO-8601, default ${DEFAULT-VALUE}.")
        String validFor;

        @Option(names = "--out", required = true, paramLabel = "FILE.json", description = "Where the signed key set goes.")
        Path out;

        private final ObjectMapper json = new ObjectMapper();

        @Override
        public Integer call() {
            try {
                PrivateKey rootKey = Ed25519Keys.readPrivateKey(Files.readString(root, StandardCharsets.US_ASCII));
                KeyPair pair = new KeyPair(Ed25519Keys.publicKeyOf(rootKey), rootKey);
                Set<String> revoked = new LinkedHashSet<>(revoke);
                Map<String, OnlineKey> trusted = new LinkedHashMap<>();
                if (keys != null) {
                    for (JsonNode k : json.readTree(keys.toFile())) {
                        String id = k.path("keyId").asText();
                        if ("REVOKED".equals(k.path("state").asText())) {
                            revoked.add(id);
                        }
                        trusted.put(id, new OnlineKey(id, k.path("publicKeyPem").asText()));
                    }
                }
                for (Path file : keyFiles) {
                    PublicKey key = Ed25519Keys.readPublicKey(Files.readString(file, StandardCharsets.US_ASCII));
                    trusted.put(Ed25519Keys.keyId(key), new OnlineKey(Ed25519Keys.keyId(key), Ed25519Keys.toPem(key)));
                }
                revoked.forEach(trusted::remove);
                Instant now = Instant.now();
                KeySet set = new KeySet(KeySet.FORMAT, version == null ? now.getEpochSecond() : version, null, now,
                        now.plus(Duration.parse(validFor)), new ArrayList<>(trusted.values()), new ArrayList<>(revoked), resets);
                SignedKeySet signed = new KeySetSigner(pair).sign(set);
                Files.write(out, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(signed));
                System.out.println("Key set " + set.version() + " signed by root " + Ed25519Keys.keyId(pair.getPublic())
                        + ", valid until " + set.expiresAt() + ", written to " + out);
                for (OnlineKey k : trusted.values()) {
                    System.out.println("  trusted  " + k.keyId() + "  sha256 "
                            + Ed25519Keys.fingerprint(Ed25519Keys.readPublicKey(k.publicKey())));
                }
                revoked.forEach(id -> System.out.println("  revoked  " + id));
                resets.forEach((product, sequence) -> System.out.println("  reset    " + product + " to sequence " + sequence));
                return ExitCodes.OK;
            } catch (KeySetRejectedException e) {
                System.err.println("starling-agent: no agent would take this key set: " + e.getMessage());
                return ExitCodes.USAGE;
            } catch (IllegalArgumentException | DateTimeParseException e) {
                System.err.println("starling-agent: " + e.getMessage());
                return ExitCodes.USAGE;
            } catch (IOException e) {
                System.err.println("starling-agent: " + e);
                return ExitCodes.FAILED;
            }
        }
    }

    @Command(name = "fingerprint", mixinStandardHelpOptions = true,
            description = "Print a key's id and SHA-256 fingerprint (PEM, public or private), as agents pin it.")
    static class Fingerprint implements Callable<Integer> {

        @Parameters(paramLabel = "FILE.pem")
        Path file;

        @Override
        public Integer call() {
            try {
                String pem = Files.readString(file, StandardCharsets.US_ASCII);
                PublicKey key = pem.contains("PRIVATE KEY") ? Ed25519Keys.publicKeyOf(Ed25519Keys.readPrivateKey(pem))
                        : Ed25519Keys.readPublicKey(pem);
                System.out.println(Ed25519Keys.keyId(key) + "  sha256 " + Ed25519Keys.fingerprint(key));
                return ExitCodes.OK;
            } catch (IllegalArgumentException e) {
                System.err.println("starling-agent: " + file + ": " + e.getMessage());
                return ExitCodes.USAGE;
            } catch (IOException e) {
                System.err.println("starling-agent: " + e);
                return ExitCodes.FAILED;
            }
        }
    }
}
