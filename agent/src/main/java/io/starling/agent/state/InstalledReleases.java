package io.starling.agent.state;

import io.starling.protocol.agent.InstalledRelease;
import io.starling.protocol.names.NameRules;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The releases installed on this machine, per product, kept in {@value #FILE_NAME} in the state
 * folder. Every change is written through before it is visible. Thread-safe.
 *
 * <p>Besides the versions on disk, each product keeps the highest manifest sequence it ever
 * installed. That number only grows, even when old versions are forgotten: it is what the
 * verifier holds every new manifest against, so that a replayed older manifest is refused.
 */
public final class InstalledReleases {

    private static final Logger LOG = Logger.getLogger(InstalledReleases.class);

    public static final String FILE_NAME = "installed.json";
    static final int FORMAT = 1;

    /**
     * One installed version.
     *
     * @param sequence the sequence of the manifest it was (last) installed from
     * @param active   whether the product's {@code current} link points at it
     */
    public record Release(String version, long sequence, Instant installedAt, boolean active) {
    }

    /** @param lastSequence the highest sequence ever installed; -1 for none */
    record Product(long lastSequence, List<Release> releases) {
        Product {
            releases = releases == null ? List.of() : List.copyOf(releases);
        }
    }

    record Document(int format, Map<String, Product> products) {
    }

    private final Path file;
    private Map<String, Product> products;

    private InstalledReleases(Path file, Map<String, Product> products) {
        this.file = file;
        this.products = products;
    }

    /** Reads the state folder's {@value #FILE_NAME}; none yet means nothing installed. */
    public static InstalledReleases open(Path stateDir) throws IOException {
        Path file = stateDir.resolve(FILE_NAME);
        AtomicFiles.removeLeftovers(file);
        Map<String, Product> products = StateJson.read(file, Document.class)
                .map(d -> d.products() == null ? Map.<String, Product>of() : d.products())
                .orElse(Map.of());
        Map<String, Product> kept = new TreeMap<>();
        // Names here become download folders to seed from: one that breaks the name rules was
        // not written by this agent (it installs only what the rules allow), and is not followed.
        products.forEach((product, p) -> {
            if (!NameRules.isProduct(product) || p == null) {
                LOG.warnf("Dropping product '%s' from %s: not a product name", NameRules.printable(product), file);
                return;
            }
            List<Release> releases = new ArrayList<>();
            for (Release r : p.releases()) {
                if (r != null && NameRules.isVersion(r.version()) && r.installedAt() != null) {
                    releases.add(r);
                } else {
                    LOG.warnf("Dropping a release of %s from %s: '%s' is not a version", product, file,
                            NameRules.printable(r == null ? null : r.version()));
                }
            }
            kept.put(product, new Product(p.lastSequence(), releases));
        });
        return new InstalledReleases(file, kept);
    }

    /** The highest manifest sequence ever installed for {@code product}; -1 if none. */
    public synchronized long lastSequence(String product) {
        Product p = products.get(product);
        return p == null ? -1 : p.lastSequence();
    }

    /** The version the product's {@code current} link points at. */
    public synchronized Optional<Release> active(String product) {
        return releases(product).stream().filter(Release::active).findFirst();
    }

    /** The version that was active before the active one (the newest inactive), for rollback. */
    public synchronized Optional<Release> previous(String product) {
        return releases(product).stream().filter(r -> !r.active())
                .max(Comparator.comparing(Release::installedAt).thenComparingLong(Release::sequence));
    }

    /** The product's installed versions, newest install first. */
    public synchronized List<Release> releases(String product) {
        Product p = products.get(product);
        if (p == null) {
            return List.of();
        }
        List<Release> sorted = new ArrayList<>(p.releases());
        sorted.sort(Comparator.comparing(Release::installedAt).thenComparingLong(Release::sequence).reversed());
        return sorted;
    }

    /** Every installed release, as the check-in reports them. */
    public synchronized List<InstalledRelease> toInventory() {
        List<InstalledRelease> inventory = new ArrayList<>();
        products.forEach((product, p) -> p.releases().forEach(r ->
                inventory.add(new InstalledRelease(product, r.version(), r.sequence(), r.active()))));
        return inventory;
    }

    /**
     * Records that {@code version} was installed from a manifest of {@code sequence} and is now
     * active; every other version of the product becomes inactive. Installing the same version
     * again (an explicit rollback to older bytes comes with a new, higher sequence) updates it.
     * Repeating the call that recorded the last sequence is harmless, so that a caller may retry
     * after a crash.
     *
     * @throws IllegalArgumentException if {@code sequence} is below the product's last sequence,
     *                                  or equal to it for another version: the verifier refuses
     *                                  such manifests, so this is a bug, not a release to record
     */
    public synchronized void markInstalled(String product, String version, long sequence, Instant installedAt)
            throws IOException {
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(installedAt, "installedAt");
        Product p = products.getOrDefault(product, new Product(-1, List.of()));
        if (!mayInstall(product, version, sequence)) {
            throw new IllegalArgumentException(product + " " + version + ": sequence " + sequence
                    + " is not above the installed sequence " + p.lastSequence());
        }
        boolean repeat = isRepeat(p, version, sequence);
        List<Release> releases = new ArrayList<>();
        for (Release r : p.releases()) {
            if (!r.version().equals(version)) {
                releases.add(new Release(r.version(), r.sequence(), r.installedAt(), false));
            }
        }
        Instant when = repeat ? p.releases().stream().filter(r -> r.version().equals(version))
                .findFirst().orElseThrow().installedAt() : installedAt;
        releases.add(new Release(version, sequence, when, true));
        update(product, new Product(sequence, releases));
    }

    /**
     * Whether {@link #markInstalled} will take this release: its sequence is above the product's
     * last one, or it is the release that recorded the last one (a retry after a crash).
     */
    public synchronized boolean mayInstall(String product, String version, long sequence) {
        Product p = products.get(product);
        return p == null || sequence > p.lastSequence() || isRepeat(p, version, sequence);
    }

    private static boolean isRepeat(Product p, String version, long sequence) {
        return sequence == p.lastSequence()
                && p.releases().stream().anyMatch(r -> r.version().equals(version) && r.sequence() == sequence);
    }

    /**
     * Forgets a version whose folder the installer removed. The product's last sequence stays.
     * Forgetting the active version makes none active.
     */
    public synchronized void forget(String product, String version) throws IOException {
        Product p = products.get(product);
        if (p == null || p.releases().stream().noneMatch(r -> r.version().equals(version))) {
            return;
        }
        update(product, new Product(p.lastSequence(),
                p.releases().stream().filter(r -> !r.version().equals(version)).toList()));
    }

    /**
     * Lowers the product's last sequence to {@code floor} when it is above: what a key set's
     * sequence reset asks after a stolen key signed a sequence far ahead (a fast-forward), so
     * that the genuine next release is not refused as a rollback. Never raises it.
     *
     * @return whether it was lowered
     */
    public synchronized boolean lowerLastSequence(String product, long floor) throws IOException {
        Product p = products.get(product);
        if (p == null || p.lastSequence() <= floor) {
            return false;
        }
        update(product, new Product(floor, p.releases()));
        return true;
    }

    /** Records that {@code version}, already installed, is active again (the installer swapped back). */
    public synchronized void markActive(String product, String version) throws IOException {
        Product p = products.get(product);
        if (p == null || p.releases().stream().noneMatch(r -> r.version().equals(version))) {
            throw new IllegalArgumentException(product + " " + version + " is not installed");
        }
        update(product, new Product(p.lastSequence(), p.releases().stream()
                .map(r -> new Release(r.version(), r.sequence(), r.installedAt(), r.version().equals(version)))
                .toList()));
    }

    private void update(String product, Product changed) throws IOException {
        Map<String, Product> next = new TreeMap<>(products);
        next.put(product, changed);
        StateJson.write(file, new Document(FORMAT, next), false);
        products = next;
    }
}
