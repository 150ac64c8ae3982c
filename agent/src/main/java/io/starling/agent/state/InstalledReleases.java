package io.starling.agent.state;

import io.starling.protocol.agent.InstalledRelease;
import io.starling.protocol.names.NameRules;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * The releases installed on this machine, per product, kept in {@value #FILE_NAME} in the state
 * folder. Every change is written through before it is visible. Thread-safe.
 *
 * <p>Besides the versions on disk, each product keeps the highest manifest sequence it ever
 * installed (its floor). That number does not fall when old versions are forgotten: it is what
 * the verifier holds every new manifest against, so that a replayed older manifest is refused.
 *
 * <p>It falls in two cases only, both signed by the offline root: a key set's explicit sequence
 * reset, and a key set that revokes a key. For the second, each product remembers which key
 * signed the manifests that raised its floor ({@code signers}): when a key is revoked, what it
 * vouched for is forgotten (TUF's answer to a fast-forward) and the floor falls back to the
 * highest sequence installed under a key not revoked, or to the baseline no key is known for
 * (sequences from before this was kept, and resets). A revoked key never raises a floor again.
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

    /**
     * @param lastSequence the floor: the highest sequence installed, unless a revocation or a reset
     *                     lowered it since; -1 for none
     * @param signers      key id to the highest sequence installed from a manifest that key signed
     * @param baseline     the part of the floor no revocation lowers: what a file from before
     *                     {@code signers} held (no key is known for it), releases recorded without a
     *                     key, the sequence a reset named as genuine; -1 for none. Null only in such
     *                     older files, where the whole floor is the baseline
     */
    record Product(long lastSequence, List<Release> releases, Map<String, Long> signers, Long baseline) {
        Product {
            releases = releases == null ? List.of() : List.copyOf(releases);
            signers = signers == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(signers));
            baseline = baseline == null ? lastSequence : baseline;
        }

        Product withReleases(List<Release> changed) {
            return new Product(lastSequence, changed, signers, baseline);
        }

        /** What the floor is when only {@code signers} and {@code baseline} count. */
        long floor() {
            return Math.max(baseline, signers.values().stream().mapToLong(Long::longValue).max().orElse(-1));
        }
    }

    /** @param revokedSigners ids of keys a key set revoked: they raise no floor again (null in older files) */
    record Document(int format, Map<String, Product> products, Set<String> revokedSigners) {
    }

    /** A product's floor that fell because the keys that raised it were revoked. */
    public record Lowered(String product, long from, long to, Set<String> keyIds) {
    }

    private final Path file;
    private Map<String, Product> products;
    private Set<String> revokedSigners;

    private InstalledReleases(Path file, Map<String, Product> products, Set<String> revokedSigners) {
        this.file = file;
        this.products = products;
        this.revokedSigners = revokedSigners;
    }

    /** Reads the state folder's {@value #FILE_NAME}; none yet means nothing installed. */
    public static InstalledReleases open(Path stateDir) throws IOException {
        Path file = stateDir.resolve(FILE_NAME);
        AtomicFiles.removeLeftovers(file);
        Optional<Document> document = StateJson.read(file, Document.class);
        Map<String, Product> products = document.map(d -> d.products() == null ? Map.<String, Product>of() : d.products())
                .orElse(Map.of());
        Set<String> revoked = document.map(Document::revokedSigners).map(Set::copyOf).orElse(Set.of());
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
            kept.put(product, p.withReleases(releases));
        });
        return new InstalledReleases(file, kept, revoked);
    }

    /**
     * The product's floor, which every new manifest must be above: the highest sequence installed,
     * unless a revocation or a reset lowered it since; -1 if none.
     */
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
        markInstalled(product, version, sequence, null, installedAt);
    }

    /**
     * The same, remembering that key {@code signerKeyId} signed the manifest, so that revoking
     * that key lowers the floor it raised ({@link #forgetSigners}). A signer revoked already (a
     * key set came while this release installed) raises nothing: the release is recorded as
     * installed and active, the floor stays.
     *
     * @param signerKeyId the manifest's key id; null when not known (the sequence then holds the
     *                    floor whatever is revoked later)
     */
    public synchronized void markInstalled(String product, String version, long sequence, String signerKeyId,
            Instant installedAt) throws IOException {
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(installedAt, "installedAt");
        Product p = products.getOrDefault(product, new Product(-1, List.of(), Map.of(), -1L));
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
        if (signerKeyId != null && revokedSigners.contains(signerKeyId)) {
            LOG.warnf("%s %s was signed with key %s, revoked while it installed: it stays installed, but the sequence "
                    + "floor of %s stays %d", product, version, signerKeyId, product, p.lastSequence());
            update(product, p.withReleases(releases));
            return;
        }
        Map<String, Long> signers = new TreeMap<>(p.signers());
        long baseline = p.baseline();
        if (signerKeyId == null) {
            baseline = Math.max(baseline, sequence);
        } else {
            signers.merge(signerKeyId, sequence, Math::max);
        }
        update(product, new Product(sequence, releases, signers, baseline));
    }

    /** Whether a key set revoked this key: its manifests raise no floor here again. */
    public synchronized boolean isRevokedSigner(String keyId) {
        return revokedSigners.contains(keyId);
    }

    /**
     * Forgets what the revoked keys vouched for: every floor one of them raised falls back to the
     * highest sequence installed under a key not revoked, or the product's baseline. Releases
     * stay installed; the keys are remembered so that they never raise a floor again. Repeating
     * the call changes nothing.
     *
     * @return the floors that fell, one per product
     */
    public synchronized List<Lowered> forgetSigners(Collection<String> revokedKeyIds) throws IOException {
        Set<String> revoked = new TreeSet<>(revokedSigners);
        revoked.addAll(revokedKeyIds);
        List<Lowered> lowered = new ArrayList<>();
        Map<String, Product> next = new TreeMap<>(products);
        products.forEach((product, p) -> {
            Set<String> gone = new TreeSet<>(p.signers().keySet());
            gone.retainAll(revoked);
            if (gone.isEmpty()) {
                return;
            }
            Map<String, Long> signers = new TreeMap<>(p.signers());
            signers.keySet().removeAll(gone);
            Product kept = new Product(p.lastSequence(), p.releases(), signers, p.baseline());
            long floor = Math.min(p.lastSequence(), kept.floor());
            next.put(product, new Product(floor, kept.releases(), kept.signers(), kept.baseline()));
            if (floor < p.lastSequence()) {
                lowered.add(new Lowered(product, p.lastSequence(), floor, gone));
            }
        });
        if (!revoked.equals(revokedSigners) || !next.equals(products)) {
            write(next, revoked);
        }
        return lowered;
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
        update(product, p.withReleases(p.releases().stream().filter(r -> !r.version().equals(version)).toList()));
    }

    /**
     * Lowers the product's last sequence to {@code floor} when it is above: what a key set's
     * sequence reset asks after a stolen key signed a sequence far ahead (a fast-forward), so
     * that the genuine next release is not refused as a rollback. Never raises it. The sequence
     * named becomes the product's baseline: revoking a key later does not go below it.
     *
     * @return whether it was lowered
     */
    public synchronized boolean lowerLastSequence(String product, long floor) throws IOException {
        Product p = products.get(product);
        if (p == null || p.lastSequence() <= floor) {
            return false;
        }
        Map<String, Long> signers = new TreeMap<>();
        p.signers().forEach((keyId, sequence) -> signers.put(keyId, Math.min(sequence, floor)));
        // The admin named this sequence as genuine: no later revocation lowers the floor below it.
        update(product, new Product(floor, p.releases(), signers, floor));
        return true;
    }

    /** Records that {@code version}, already installed, is active again (the installer swapped back). */
    public synchronized void markActive(String product, String version) throws IOException {
        Product p = products.get(product);
        if (p == null || p.releases().stream().noneMatch(r -> r.version().equals(version))) {
            throw new IllegalArgumentException(product + " " + version + " is not installed");
        }
        update(product, p.withReleases(p.releases().stream()
                .map(r -> new Release(r.version(), r.sequence(), r.installedAt(), r.version().equals(version)))
                .toList()));
    }

    private void update(String product, Product changed) throws IOException {
        Map<String, Product> next = new TreeMap<>(products);
        next.put(product, changed);
        write(next, revokedSigners);
    }

    private void write(Map<String, Product> next, Set<String> revoked) throws IOException {
        StateJson.write(file, new Document(FORMAT, next, revoked.isEmpty() ? null : new TreeSet<>(revoked)), false);
        products = next;
        revokedSigners = Set.copyOf(revoked);
    }
}
