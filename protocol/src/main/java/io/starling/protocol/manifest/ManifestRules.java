package io.starling.protocol.manifest;

import static io.starling.protocol.manifest.ManifestRejectedException.Reason.BAD_ARTIFACT;
import static io.starling.protocol.manifest.ManifestRejectedException.Reason.MALFORMED;
import static io.starling.protocol.manifest.ManifestRejectedException.Reason.TOO_LARGE;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a well-formed manifest looks like, apart from trust and time. The verifier applies it to
 * everything it accepts; the control plane can apply it before signing, so that it never
 * publishes a manifest its agents would refuse.
 */
public final class ManifestRules {

    private static final int MIN_PIECE_LENGTH = 16 * 1024; // BEP 52
    private static final int MAX_PIECE_LENGTH = 64 * 1024 * 1024;
    private static final int MAX_TIMEOUT_SECONDS = 24 * 60 * 60;
    private static final List<String> ARCHIVE_SUFFIXES = List.of(".zip", ".tar.gz", ".tgz");

    private ManifestRules() {
    }

    /** @throws ManifestRejectedException with MALFORMED, TOO_LARGE or BAD_ARTIFACT */
    public static void check(Manifest m, ManifestLimits limits) {
        require(m.format() == Manifest.FORMAT, MALFORMED, "unsupported manifest format " + m.format());
        require(ArtifactEntry.isSafeName(m.product()), MALFORMED, "product name is missing or unsafe");
        require(ArtifactEntry.isSafeName(m.version()), MALFORMED, "version is missing or unsafe");
        require(m.sequence() >= 0, MALFORMED, "sequence is negative");
        require(m.createdAt() != null && m.expiresAt() != null, MALFORMED, "createdAt and expiresAt are required");
        require(m.createdAt().isBefore(m.expiresAt()), MALFORMED, "expiresAt is not after createdAt");
        require(isHex(m.keyId(), 16), MALFORMED, "keyId is not 16 lowercase hex digits");
        require(m.artifacts() != null, MALFORMED, "artifacts are required");
        require(m.artifacts().size() <= limits.maxArtifacts(), TOO_LARGE,
                m.artifacts().size() + " artifacts, more than the limit of " + limits.maxArtifacts());
        require(!m.artifacts().isEmpty(), BAD_ARTIFACT, "no artifacts");
        Set<String> names = new HashSet<>();
        for (ArtifactEntry a : m.artifacts()) {
            checkArtifact(a, limits);
            require(names.add(a.name()), BAD_ARTIFACT, "artifact " + a.name() + " is listed twice");
        }
        if (m.install() != null) {
            checkInstall(m.install(), names);
        }
    }

    private static void checkArtifact(ArtifactEntry a, ManifestLimits limits) {
        require(ArtifactEntry.isSafeName(a.name()), BAD_ARTIFACT, "artifact name is missing or unsafe");
        String what = "artifact " + a.name() + ": ";
        require(a.size() > 0, BAD_ARTIFACT, what + "size must be positive");
        require(a.size() <= limits.maxArtifactSize(), BAD_ARTIFACT,
                what + a.size() + " bytes, more than the limit of " + limits.maxArtifactSize());
        require(isHex(a.sha256(), 64), BAD_ARTIFACT, what + "sha256 is not 64 lowercase hex digits");
        require(isHex(a.infoHashV1(), 40), BAD_ARTIFACT, what + "infoHashV1 is not 40 lowercase hex digits");
        require(isHex(a.infoHashV2(), 64), BAD_ARTIFACT, what + "infoHashV2 is not 64 lowercase hex digits");
        require(Integer.bitCount(a.pieceLength()) == 1
                        && a.pieceLength() >= MIN_PIECE_LENGTH && a.pieceLength() <= MAX_PIECE_LENGTH,
                BAD_ARTIFACT, what + "piece length " + a.pieceLength() + " is not a power of two from 16 KiB to 64 MiB");
    }

    private static void checkInstall(InstallSpec install, Set<String> artifactNames) {
        if (install.archive() != null) {
            require(artifactNames.contains(install.archive()), MALFORMED,
                    "install archive " + install.archive() + " is not one of the artifacts");
            require(ARCHIVE_SUFFIXES.stream().anyMatch(install.archive()::endsWith), MALFORMED,
                    "install archive " + install.archive() + " is not a .zip, .tar.gz or .tgz");
        }
        checkArgv(install.command(), "install command");
        checkArgv(install.healthCheck(), "health check");
        Integer timeout = install.timeoutSeconds();
        require(timeout == null || (timeout > 0 && timeout <= MAX_TIMEOUT_SECONDS), MALFORMED,
                "install timeout must be between 1 s and 24 h");
    }

    private static void checkArgv(List<String> argv, String what) {
        if (argv == null) {
            return;
        }
        require(!argv.isEmpty() && !argv.get(0).isEmpty(), MALFORMED, what + " has no program");
        // No NUL: argv strings are C strings on every agent OS, and a NUL would silently truncate one.
        require(argv.stream().noneMatch(arg -> arg.indexOf('\0') >= 0), MALFORMED, what + " contains a NUL");
    }

    private static boolean isHex(String s, int length) {
        if (s == null || s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static void require(boolean condition, ManifestRejectedException.Reason reason, String message) {
        if (!condition) {
            throw new ManifestRejectedException(reason, message);
        }
    }
}
