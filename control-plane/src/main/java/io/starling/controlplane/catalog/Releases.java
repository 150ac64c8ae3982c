package io.starling.controlplane.catalog;

import io.starling.protocol.manifest.CanonicalJson;
import io.starling.protocol.manifest.InstallSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Release helpers other features need without reaching into package-private catalogue code. */
public final class Releases {

    private Releases() {
    }

    public static InstallSpec install(Release r) {
        return r.installJson == null ? null
                : CanonicalJson.read(r.installJson.getBytes(StandardCharsets.UTF_8), InstallSpec.class);
    }

    public static ReleaseView view(Release r) {
        return ReleaseView.of(r);
    }

    public static void requireArchivePresent(InstallSpec install, List<Artifact> artifacts) {
        InstallSpecs.requireArchivePresent(install, artifacts);
    }
}
