package io.starling.controlplane.passkey;

import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(example = """
        {"owner": "build-server-7", "label": "CI downloads", "site": "berlin"}""")
public record PasskeyRequest(@Size(min = 1, max = 255) String owner, @Size(max = 255) String label,
        @Size(min = 1, max = 64) String site) {
}
