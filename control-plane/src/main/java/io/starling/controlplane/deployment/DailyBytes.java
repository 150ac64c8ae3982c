package io.starling.controlplane.deployment;

import io.starling.protocol.agent.BytesBySource;
import java.time.LocalDate;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The bytes of the deployments whose last report fell on one UTC day. Agents report cumulative
 * counts, so a deployment's whole download counts on the day it last reported: a download that
 * spans midnight counts on the later day.
 */
@Schema(example = """
        {"day": "2026-11-27", "deployments": 40,
         "bytes": {"sameSitePeers": 3019898880, "otherSitePeers": 0, "originSeeder": 100663296, "webSeed": 0}}""")
public record DailyBytes(LocalDate day, long deployments, BytesBySource bytes) {
}
