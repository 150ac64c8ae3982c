package io.starling.agent.install;

import io.starling.protocol.manifest.Manifest;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The whole environment an install command or health check starts with: an allowlist, never the
 * agent's own. The agent's environment holds its settings ({@code STARLING_AGENT_*}), the JVM's
 * options and whatever systemd's {@code EnvironmentFile} brought in; a release's command is code
 * from a manifest and gets none of that, only a fixed {@code PATH}, a UTF-8 locale, a home and a
 * temporary folder, and the variables naming the release.
 */
final class InstallEnvironment {

    /** The usual root {@code PATH}: fixed, so a release never runs what the agent's PATH happened to name. */
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** Every name an install command may see; {@link CommandRunner} adds its process-tracking marker. */
    static final Set<String> NAMES = Set.of("PATH", "LANG", "LC_ALL", "HOME", "USER", "LOGNAME", "TMPDIR",
            "STARLING_PRODUCT", "STARLING_VERSION", "STARLING_SEQUENCE", "STARLING_RELEASE_DIR");

    private InstallEnvironment() {
    }

    static Map<String, String> of(Manifest manifest, Path release) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", PATH);
        // C.UTF-8 exists on every current distribution without installing locales.
        env.put("LANG", "C.UTF-8");
        env.put("LC_ALL", "C.UTF-8");
        // The agent's user (root under systemd): package tools (pip, npm) keep caches under HOME;
        // the release folder would make those caches part of the release.
        env.put("HOME", System.getProperty("user.home"));
        env.put("USER", System.getProperty("user.name"));
        env.put("LOGNAME", System.getProperty("user.name"));
        // Under systemd's PrivateTmp this is the agent's private /tmp, not the host's.
        env.put("TMPDIR", System.getProperty("java.io.tmpdir"));
        env.put("STARLING_PRODUCT", manifest.product());
        env.put("STARLING_VERSION", manifest.version());
        env.put("STARLING_SEQUENCE", Long.toString(manifest.sequence()));
        env.put("STARLING_RELEASE_DIR", release.toString());
        return env;
    }
}
