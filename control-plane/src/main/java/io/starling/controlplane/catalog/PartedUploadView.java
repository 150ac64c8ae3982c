package io.starling.controlplane.catalog;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "An upload in parts: send parts 1 to `parts`, each `partSize` bytes but the last, which has "
        + "the rest; then complete it.", example = """
        {"uploadId": "6f1c2b9e-4d0a-4c47-9a53-2f8e7c1d0b42", "size": 1073741824, "partSize": 67108864, "parts": 16,
         "expiresAfterIdleSeconds": 3600}""")
public record PartedUploadView(String uploadId, long size, long partSize, int parts, long expiresAfterIdleSeconds) {
}
