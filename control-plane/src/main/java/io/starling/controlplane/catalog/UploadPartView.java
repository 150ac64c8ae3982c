package io.starling.controlplane.catalog;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "A part received whole.", example = """
        {"part": 3, "offset": 134217728, "size": 67108864}""")
public record UploadPartView(int part, long offset, long size) {
}
