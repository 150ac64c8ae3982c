package io.starling.controlplane.catalog;

import io.starling.controlplane.common.Names;
import io.starling.protocol.manifest.InstallSpec;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "A new draft release. Artifacts are uploaded next, then the release is published.", example = """
        {"version": "2.4.1", "notes": "Fixes the printing crash",
         "install": {"archive": "office-suite-2.4.1.tar.gz", "command": ["./install.sh"], "timeoutSeconds": 600,
                     "healthCheck": ["./bin/office", "--version"]}}""")
public record ReleaseRequest(
        @NotNull @Pattern(regexp = Names.VERSION_PATTERN, message = "must be " + Names.VERSION_RULE)
        String version,
        @Size(max = 10000) String notes,
        InstallSpec install) {
}
