package io.starling.protocol.manifest;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ed25519 keys for manifest signing, with JDK crypto only, in the PEM forms openssl uses
 * ({@code PUBLIC KEY}: X.509 SubjectPublicKeyInfo; {@code PRIVATE KEY}: PKCS#8), so that an
 * operator can inspect keys and check signatures with {@code openssl pkey} and {@code openssl pkeyutl}.
 */
public final class Ed25519Keys {

    public static final String ALGORITHM = "Ed25519";
    public static final int SIGNATURE_LENGTH = 64;
    private static final String PUBLIC = "PUBLIC KEY";
    private static final String PRIVATE = "PRIVATE KEY";

    private Ed25519Keys() {
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK 15+ always has Ed25519", e);
        }
    }

    /**
     * First 16 hex characters of SHA-256 over the SubjectPublicKeyInfo DER: short enough to
     * read aloud, long enough (64 bits) that trusted keys never collide by accident, and
     * reproducible with {@code openssl pkey -pubin -outform DER | sha256sum}.
     */
    public static String keyId(PublicKey publicKey) {
        return fingerprint(publicKey).substring(0, 16);
    }

    /**
     * The whole SHA-256 over the SubjectPublicKeyInfo DER, as 64 lowercase hex digits: what an
     * admin pins out of band (the agent's {@code --manifest-key-fingerprint}). The {@link #keyId}
     * is its first 16 digits: enough to name a key, too short to pin one (a second key with the
     * same 64-bit prefix costs about 2^64 hashes, within reach of a determined attacker). Reproducible with {@code openssl pkey -pubin -outform DER | sha256sum}.
     */
    public static String fingerprint(PublicKey publicKey) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The JDK cannot derive an Ed25519 public key from a private one directly, but its key pair
     * generator takes the 32-byte seed from the random source: feeding it the seed gives the pair
     * back. This lets operators provide just {@code openssl genpkey -algorithm ed25519} output.
     */
    public static PublicKey publicKeyOf(PrivateKey privateKey) {
        byte[] seed = ((EdECPrivateKey) privateKey).getBytes()
                .orElseThrow(() -> new IllegalStateException("The signing key does not expose its seed"));
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
                @Override
                public void nextBytes(byte[] bytes) {
                    System.arraycopy(seed, 0, bytes, 0, bytes.length);
                }
            });
            return generator.generateKeyPair().getPublic();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive the public key", e);
        }
    }

    /** True for Ed25519 keys only; the JDK names every EdDSA key "EdDSA", Ed448 included. */
    public static boolean isEd25519(Key key) {
        return key instanceof EdECKey ed && NamedParameterSpec.ED25519.getName().equals(ed.getParams().getName());
    }

    /** A detached Ed25519 signature (64 bytes) over {@code bytes}. */
    public static byte[] sign(PrivateKey key, byte[] bytes) {
        try {
            Signature ed25519 = Signature.getInstance(ALGORITHM);
            ed25519.initSign(key);
            ed25519.update(bytes);
            return ed25519.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** True when {@code signature} is {@code key}'s Ed25519 signature over {@code bytes}; false for anything else. */
    public static boolean verifies(PublicKey key, byte[] bytes, byte[] signature) {
        if (signature == null || signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        try {
            Signature ed25519 = Signature.getInstance(ALGORITHM);
            ed25519.initVerify(key);
            ed25519.update(bytes);
            return ed25519.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    public static String toPem(PublicKey key) {
        return pem(PUBLIC, key.getEncoded());
    }

    public static String toPem(PrivateKey key) {
        return pem(PRIVATE, key.getEncoded());
    }

    /** @throws IllegalArgumentException unless {@code pem} holds one Ed25519 public key */
    public static PublicKey readPublicKey(String pem) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der(PUBLIC, pem)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException unless {@code pem} holds one Ed25519 private key */
    public static PrivateKey readPrivateKey(String pem) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der(PRIVATE, pem)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 private key: " + e.getMessage(), e);
        }
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static byte[] der(String type, String pem) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("no " + begin + " ... " + end + " block");
        }
        String body = pem.substring(from + begin.length(), to).replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + type + " block is not Base64: " + e.getMessage(), e);
        }
    }
}
