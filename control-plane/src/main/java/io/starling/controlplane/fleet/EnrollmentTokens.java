package io.starling.controlplane.fleet;

import io.starling.controlplane.common.DomainException;
import io.starling.controlplane.common.Ids;
import io.starling.controlplane.common.Names;
import io.starling.controlplane.site.Site;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;

/** Creates, lists and revokes enrollment tokens. Spending them is {@link Enrollment}'s job. */
@ApplicationScoped
public class EnrollmentTokens {

    public static final int MAX_USES = 10_000;
    public static final long MAX_LIFETIME_SECONDS = 30L * 24 * 3600;
    static final int DEFAULT_USES = 1;
    static final long DEFAULT_LIFETIME_SECONDS = 24 * 3600;

    private static final SecureRandom RANDOM = new SecureRandom();

    @Transactional
    public EnrollmentTokenView create(EnrollmentTokenRequest request, String actor) {
        int uses = request.uses() == null ? DEFAULT_USES : request.uses();
        long lifetime = request.expiresInSeconds() == null ? DEFAULT_LIFETIME_SECONDS : request.expiresInSeconds();
        if (uses < 1 || uses > MAX_USES) {
            throw new DomainException.Invalid("uses: must be between 1 and " + MAX_USES + ".");
        }
        if (lifetime < 1 || lifetime > MAX_LIFETIME_SECONDS) {
            throw new DomainException.Invalid("expiresInSeconds: must be between 1 and " + MAX_LIFETIME_SECONDS + " (30 days).");
        }
        if (request.site() != null && Site.byName(Names.site(request.site())).isEmpty()) {
            throw new DomainException.Invalid("No site '" + request.site() + "'; create it under /api/v1/sites first.");
        }
        String value = newValue();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        EnrollmentToken t = new EnrollmentToken();
        t.id = UUID.randomUUID();
        t.tokenHash = hash(value);
        t.usesTotal = uses;
        t.usesLeft = uses;
        t.expiresAt = now.plusSeconds(lifetime);
        t.site = request.site();
        t.labels = labels(request.labels()).toArray(String[]::new);
        t.createdAt = now;
        t.createdBy = actor;
        t.persist();
        return EnrollmentTokenView.of(t, value, now);
    }

    @Transactional
    public List<EnrollmentTokenView> list() {
        Instant now = Instant.now();
        return EnrollmentToken.<EnrollmentToken>list("order by createdAt desc, id")
                .stream().map(t -> EnrollmentTokenView.of(t, null, now)).toList();
    }

    @Transactional
    public EnrollmentTokenView token(String id) {
        return EnrollmentTokenView.of(require(id), null, Instant.now());
    }

    /** Revoking twice is harmless: the answer shows when and by whom it was first revoked. */
    @Transactional
    public EnrollmentTokenView revoke(String id, String actor) {
        EnrollmentToken t = require(id);
        if (t.revokedAt == null) {
            t.revokedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            t.revokedBy = actor;
        }
        return EnrollmentTokenView.of(t, null, Instant.now());
    }

    private static EnrollmentToken require(String id) {
        return EnrollmentToken.<EnrollmentToken>findByIdOptional(parseId(id))
                .orElseThrow(() -> new DomainException.NotFound("No enrollment token " + Names.printable(id) + "."));
    }

    /** Validated, de-duplicated and sorted, so that equal label sets look equal everywhere. */
    static TreeSet<String> labels(Collection<String> labels) {
        TreeSet<String> out = new TreeSet<>();
        if (labels != null) {
            labels.forEach(l -> out.add(Names.label(l)));
        }
        if (out.size() > Names.MAX_LABELS) {
            throw new DomainException.Invalid("labels: at most " + Names.MAX_LABELS + " labels.");
        }
        return out;
    }

    static UUID parseId(String id) {
        return Ids.parse(id, "enrollment token");
    }

    /** 256 random bits, URL-safe, so it survives shells, config files and query strings. */
    static String newValue() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Unsalted is fine: the value is 256 random bits, so there is nothing to guess a hash from. */
    static String hash(String value) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
