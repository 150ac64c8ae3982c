package io.starling.protocol.torrent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.libtorrent4j.SessionParams;
import org.libtorrent4j.SettingsPack;
import org.libtorrent4j.swig.address;
import org.libtorrent4j.swig.error_code;
import org.libtorrent4j.swig.ip_filter;
import org.libtorrent4j.swig.settings_pack;

/**
 * Loads libtorrent4j's native library. The libtorrent4j jar does not do this itself: its JNI
 * class calls {@code System.load(System.getProperty("libtorrent4j.jni.path"))} in a static
 * initialiser, so the property has to name a real file before the first libtorrent4j class is
 * touched. The library ships inside {@code libtorrent4j-linux} as {@code lib/x86_64/libtorrent4j.so};
 * we copy it to a private, owner-only temporary folder and point the property at the copy
 * (docs/platform-notes.md, "libtorrent4j: native loading").
 *
 * <p>Shared by the control plane's origin seeder and the agent's swarm. The protocol module
 * declares libtorrent4j {@code optional}: a user of this class brings libtorrent4j and
 * libtorrent4j-linux itself, everyone else never loads it. Loads parent-first under Quarkus
 * ({@code quarkus.class-loading.parent-first-artifacts}): a JVM loads a native library in one
 * class loader only.
 */
public final class Libtorrent {

    static final String PATH_PROPERTY = "libtorrent4j.jni.path";
    private static final String RESOURCE = "lib/x86_64/libtorrent4j.so";
    private static final System.Logger LOG = System.getLogger(Libtorrent.class.getName());

    private static boolean loaded;

    // libtorrent numbers its settings by type: strings from 0, integers from 0x4000, booleans from 0x8000.
    private static final int SETTING_TYPE_MASK = 0xc000;
    private static final int STRING_SETTING = 0x0000;
    private static final int INT_SETTING = 0x4000;
    private static final int BOOL_SETTING = 0x8000;
    private static Map<String, Integer> settingIds;

    private Libtorrent() {
    }

    /**
     * Makes libtorrent4j usable in this JVM. Idempotent and thread-safe; the first call costs
     * the copy of a 14 MB file and the {@code dlopen}.
     *
     * @throws IllegalStateException on anything but Linux x86_64 (the only native build published
     *                               for libtorrent4j 2.0.6-26), or when the library cannot be loaded
     */
    public static void load() {
        load("");
    }

    /**
     * Like {@link #load()}.
     *
     * @param unsupportedPlatformHint what the user can do on another platform (for example the
     *                                setting that turns the feature off), appended to the error;
     *                                empty for none
     */
    public static synchronized void load(String unsupportedPlatformHint) {
        if (loaded) {
            return;
        }
        requireSupportedPlatform(System.getProperty("os.name", ""), System.getProperty("os.arch", ""),
                unsupportedPlatformHint);
        String configured = System.getProperty(PATH_PROPERTY, "");
        // Set by an operator (-D…), or by an earlier Quarkus application in this JVM (dev mode,
        // test profiles): a JVM may load one native library file only once, so reuse it.
        if (configured.isEmpty() || !Files.isRegularFile(Path.of(configured))) {
            System.setProperty(PATH_PROPERTY, extract().toString());
        }
        try {
            String version = org.libtorrent4j.LibTorrent.version();
            LOG.log(System.Logger.Level.DEBUG, "libtorrent {0} loaded from {1}", version, System.getProperty(PATH_PROPERTY));
        } catch (UnsatisfiedLinkError | ExceptionInInitializerError | NoClassDefFoundError e) {
            String hint = String.valueOf(rootCause(e).getMessage()).contains("another classloader")
                    ? "a JVM loads a native library in one class loader only; load libtorrent4j parent-first "
                            + "(quarkus.class-loading.parent-first-artifacts)"
                    : "it needs Linux x86_64 with glibc 2.27 or newer";
            throw new IllegalStateException("Cannot load libtorrent4j's native library from "
                    + System.getProperty(PATH_PROPERTY) + " (" + hint + "): " + rootCause(e), e);
        }
        loaded = true;
    }

    /**
     * The session settings every Starling libtorrent session starts from. Private swarms learn
     * peers only from our tracker (BEP 27), so DHT, local discovery and port mapping are off, and
     * DHT bootstrap nodes are cleared (libtorrent4j otherwise fills in public routers). Many peers
     * of one office, or of one test, share an address: one connection per IP would starve them.
     */
    public static SettingsPack privateSwarmSettings(String listenInterface) {
        load();
        SettingsPack sp = new SettingsPack();
        sp.listenInterfaces(listenInterface);
        sp.setEnableDht(false);
        sp.setEnableLsd(false);
        sp.setDhtBootstrapNodes("");
        sp.setBoolean(settings_pack.bool_types.enable_upnp.swigValue(), false);
        sp.setBoolean(settings_pack.bool_types.enable_natpmp.swigValue(), false);
        sp.setBoolean(settings_pack.bool_types.allow_multiple_connections_per_ip.swigValue(), true);
        sp.setString(settings_pack.string_types.user_agent.swigValue(), "Starling/0.1 libtorrent/2.0.6");
        return sp;
    }

    /**
     * Applies libtorrent settings given by their libtorrent names ({@code unchoke_slots_limit=4},
     * {@code seed_choking_algorithm=1}, {@code enable_outgoing_utp=false}): the escape hatch an
     * operator, or a benchmark, uses to tune a session without a release of ours for every knob.
     *
     * @throws IllegalArgumentException naming the setting, for an unknown name or a value of the wrong type
     */
    public static void applyNamed(SettingsPack sp, Map<String, String> named) {
        load();
        for (Map.Entry<String, String> e : named.entrySet()) {
            String name = e.getKey().strip();
            String value = e.getValue().strip();
            Integer id = settingIds().get(name);
            if (id == null) {
                throw new IllegalArgumentException("libtorrent has no setting '" + name
                        + "' (names as in libtorrent's settings_pack, like unchoke_slots_limit)");
            }
            switch (id & SETTING_TYPE_MASK) {
                case STRING_SETTING -> sp.setString(id, value);
                case INT_SETTING -> {
                    try {
                        sp.setInteger(id, Integer.parseInt(value));
                    } catch (NumberFormatException x) {
                        throw new IllegalArgumentException("libtorrent setting " + name + " takes a whole number, not '"
                                + value + "'");
                    }
                }
                default -> {
                    if (!value.equals("true") && !value.equals("false")) {
                        throw new IllegalArgumentException("libtorrent setting " + name + " takes true or false, not '"
                                + value + "'");
                    }
                    sp.setBoolean(id, Boolean.parseBoolean(value));
                }
            }
        }
    }

    private static synchronized Map<String, Integer> settingIds() {
        if (settingIds == null) {
            Map<String, Integer> ids = new HashMap<>();
            int[][] ranges = {{STRING_SETTING, settings_pack.num_string_settings},
                {INT_SETTING, settings_pack.num_int_settings}, {BOOL_SETTING, settings_pack.num_bool_settings}};
            for (int[] range : ranges) {
                // Only within the counts: libtorrent aborts the process for a number past them.
                for (int i = 0; i < range[1]; i++) {
                    String name = org.libtorrent4j.swig.libtorrent.name_for_setting(range[0] + i);
                    if (name != null && !name.isEmpty()) { // retired settings have no name
                        ids.put(name, range[0] + i);
                    }
                }
            }
            settingIds = Map.copyOf(ids);
        }
        return settingIds;
    }

    /**
     * Session parameters with POSIX disk I/O. libtorrent's default memory-mapped storage installs
     * its own SIGSEGV handler and the JVM then dies at random (exit 139, no hs_err file):
     * docs/platform-notes.md, "libtorrent4j: disk I/O (crash 1)".
     */
    public static SessionParams sessionParams(SettingsPack settings) {
        load();
        SessionParams params = new SessionParams(settings);
        params.setPosixDiskIO();
        return params;
    }

    /**
     * A peer class filter that puts every address, IPv4 and IPv6, in libtorrent's global peer
     * class; apply it with {@code session.swig().set_peer_class_filter(...)}. libtorrent puts
     * peers from private and loopback ranges in its "local" class, which the session's upload and
     * download rate limits do not cover, so without this an office LAN ignores every cap
     * (docs/platform-notes.md, "libtorrent4j: LAN peer class").
     */
    public static ip_filter everyAddressInGlobalPeerClass() {
        load();
        long globalPeerClass = 1L << 0; // session::global_peer_class_id is 0; the filter takes a bit mask
        ip_filter f = new ip_filter();
        error_code ec = new error_code();
        f.add_rule(address.from_string("0.0.0.0", ec), address.from_string("255.255.255.255", ec), globalPeerClass);
        f.add_rule(address.from_string("::", ec), address.from_string("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", ec),
                globalPeerClass);
        if (ec.value() != 0) {
            throw new IllegalStateException("Cannot build the peer class filter: " + ec.message());
        }
        return f;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    static void requireSupportedPlatform(String osName, String osArch, String hint) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new IllegalStateException("BitTorrent needs libtorrent4j's native library, which is published "
                    + "for Linux x86_64 only; this JVM runs on " + osName + " " + osArch + "."
                    + (hint == null || hint.isBlank() ? "" : " " + hint.strip()));
        }
    }

    private static Path extract() {
        try (InputStream in = Libtorrent.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath: add org.libtorrent4j:libtorrent4j-linux "
                        + "of the same version as org.libtorrent4j:libtorrent4j.");
            }
            Path dir = Files.createTempDirectory("starling-libtorrent4j-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path file = dir.resolve("libtorrent4j.so");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            // Deleted in reverse order of registration: the file, then its folder. Unlinking a
            // mapped library is harmless on Linux; the mapping lives until the process ends.
            dir.toFile().deleteOnExit();
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot extract libtorrent4j's native library", e);
        }
    }
}
