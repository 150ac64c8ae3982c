package io.starling.controlplane.catalog;

import io.starling.controlplane.common.DomainException;
import io.starling.controlplane.common.Names;
import io.starling.protocol.manifest.InstallSpec;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Checks an install section before it is stored, so that a bad one fails at the API, not on 3,000 desktops. */
final class InstallSpecs {

    static final int MAX_ARGS = 64;
    static final int MAX_ARG_LENGTH = 4096;
    static final int MAX_TIMEOUT_SECONDS = 24 * 3600;

    private InstallSpecs() {
    }

    static void validate(InstallSpec spec) {
        if (spec == null) {
            return;
        }
        if (spec.archive() != null) {
            Names.file(spec.archive());
            if (!isArchive(spec.archive())) {
                throw new DomainException.Invalid("install.archive '" + spec.archive()
                        + "' must be a .zip, .tar.gz or .tgz file.");
            }
        }
        argv("install.command", spec.command());
        argv("install.healthCheck", spec.healthCheck());
        if (spec.timeoutSeconds() != null && (spec.timeoutSeconds() < 1 || spec.timeoutSeconds() > MAX_TIMEOUT_SECONDS)) {
            throw new DomainException.Invalid("install.timeoutSeconds must be between 1 and " + MAX_TIMEOUT_SECONDS + ".");
        }
    }

    /** At publish time: the archive to unpack must be one of the release's files. */
    static void requireArchivePresent(InstallSpec spec, List<Artifact> artifacts) {
        if (spec == null || spec.archive() == null) {
            return;
        }
        Set<String> names = artifacts.stream().map(a -> a.name).collect(Collectors.toSet());
        if (!names.contains(spec.archive())) {
            throw new DomainException.Conflict("install.archive names '" + spec.archive()
                    + "', which is not among the uploaded artifacts " + names + ".");
        }
    }

    static boolean isArchive(String name) {
        return name.endsWith(".zip") || name.endsWith(".tar.gz") || name.endsWith(".tgz");
    }

    private static void argv(String field, List<String> args) {
        if (args == null) {
            return;
        }
        if (args.isEmpty() || args.size() > MAX_ARGS) {
            throw new DomainException.Invalid(field + " must hold 1 to " + MAX_ARGS + " arguments.");
        }
        for (String a : args) {
            if (a == null || a.isEmpty() || a.length() > MAX_ARG_LENGTH || a.indexOf('\0') >= 0) {
                throw new DomainException.Invalid(field + " arguments must be non-empty, at most "
                        + MAX_ARG_LENGTH + " characters, without NUL.");
            }
        }
    }
}
