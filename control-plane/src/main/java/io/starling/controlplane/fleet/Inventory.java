package io.starling.controlplane.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.controlplane.common.DomainException;
import io.starling.controlplane.common.Names;
import io.starling.protocol.agent.InstalledRelease;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/** What an agent has installed, as it said at its last check-in, kept as one JSON column. */
final class Inventory {

    private static final Logger LOG = Logger.getLogger(Inventory.class);
    /** Far more products than a workstation runs; the bound keeps one agent from bloating its row. */
    static final int MAX_INSTALLED = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<InstalledRelease>> LIST = new TypeReference<>() {
    };

    private Inventory() {
    }

    /** @throws DomainException.Invalid naming the first entry that no manifest could have produced */
    static List<InstalledRelease> validate(List<InstalledRelease> installed) {
        if (installed.size() > MAX_INSTALLED) {
            throw new DomainException.Invalid("installed: at most " + MAX_INSTALLED + " releases.");
        }
        for (InstalledRelease r : installed) {
            if (r == null) {
                throw new DomainException.Invalid("installed: entries must not be null.");
            }
            Names.product(r.product());
            Names.version(r.version());
            if (r.sequence() < 0) {
                throw new DomainException.Invalid("installed: sequence must not be negative.");
            }
        }
        return installed;
    }

    static String write(List<InstalledRelease> installed) {
        try {
            return JSON.writeValueAsString(installed);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write an inventory", e);
        }
    }

    /** The JSON an inventory contains when it holds this product (at this version, unless null). */
    static String containing(String product, String version) {
        Map<String, String> release = version == null ? Map.of("product", product)
                : Map.of("product", product, "version", version);
        try {
            return JSON.writeValueAsString(List.of(release));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write an inventory pattern", e);
        }
    }

    /** A row no longer readable (written by another version) shows as empty rather than failing a listing. */
    static List<InstalledRelease> read(String json) {
        if (json == null || json.isEmpty()) {
            return List.of();
        }
        try {
            return JSON.readValue(json, LIST);
        } catch (JsonProcessingException e) {
            LOG.warnf("Ignoring an unreadable inventory: %s", e.getOriginalMessage());
            return List.of();
        }
    }
}
