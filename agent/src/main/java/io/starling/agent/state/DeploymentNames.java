package io.starling.agent.state;

import io.starling.protocol.names.NameRules;
import java.util.Optional;

/**
 * The names of a deployment that become folders on this machine: its id (torrents) and its
 * product and version (downloads, installs). They come unsigned in the check-in answer, so they
 * are held to the shared name rules when they arrive and again when the journal is read back.
 */
public final class DeploymentNames {

    private DeploymentNames() {
    }

    /** Why these cannot be a deployment's names on this agent; empty when they can. */
    public static Optional<String> problem(String id, String product, String version) {
        if (!NameRules.isId(id)) {
            return Optional.of("id '" + NameRules.printable(id) + "' is not " + NameRules.ID_RULE);
        }
        if (!NameRules.isProduct(product)) {
            return Optional.of("product '" + NameRules.printable(product) + "' is not a product name ("
                    + NameRules.PRODUCT_RULE + ", " + NameRules.NO_DOTDOT + ")");
        }
        if (!NameRules.isVersion(version)) {
            return Optional.of("version '" + NameRules.printable(version) + "' is not a version ("
                    + NameRules.VERSION_RULE + ", " + NameRules.NO_DOTDOT + ")");
        }
        return Optional.empty();
    }
}
