package io.starling.controlplane.passkey;

import io.starling.controlplane.common.DomainException;
import io.starling.controlplane.common.Names;
import io.starling.controlplane.site.Site;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** Issues, checks and revokes tracker passkeys. */
@ApplicationScoped
public class Passkeys {

    private final PasskeyDirectory directory;

    Passkeys(PasskeyDirectory directory) {
        this.directory = directory;
    }

    /** 192 random bits, URL-safe: a passkey travels in announce URLs. */
    static final Pattern FORMAT = Pattern.compile("^[A-Za-z0-9_-]{32}$");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A passkey for a person or a script, entitled to every published release (docs/security.md). */
    @Transactional
    public PasskeyView create(String owner, String label, String site) {
        return create(owner, null, label, site);
    }

    /**
     * An enrolled agent's passkey, owned by {@code agent:<id>}: revoked with the agent, and
     * served by the web seed only the releases deployed to it.
     */
    @Transactional
    public PasskeyView createForAgent(UUID agentId, String label, String site) {
        return create("agent:" + agentId, agentId, label, site);
    }

    private PasskeyView create(String owner, UUID agentId, String label, String site) {
        if (site != null && Site.byName(Names.site(site)).isEmpty()) {
            throw new DomainException.Invalid("No site '" + site + "'; create it under /api/v1/sites first.");
        }
        Passkey p = new Passkey();
        p.value = newValue();
        p.owner = owner;
        p.agentId = agentId;
        p.label = label;
        p.site = site;
        p.createdAt = Instant.now();
        p.persist();
        directory.put(p);
        return PasskeyView.of(p);
    }

    /** The caller's own passkey for manual downloads, made on first use. */
    @Transactional
    public String personal(String owner) {
        return Passkey.activeOf(owner).map(p -> p.value)
                .orElseGet(() -> create(owner, "personal", null).passkey());
    }

    @Transactional
    public List<PasskeyView> list() {
        return Passkey.<Passkey>list("order by id").stream().map(PasskeyView::of).toList();
    }

    @Transactional
    public PasskeyView revoke(String value) {
        Passkey p = find(value);
        if (p.revokedAt == null) {
            p.revokedAt = Instant.now();
            directory.put(p);
        }
        return PasskeyView.of(p);
    }

    /**
     * Every passkey the agent owns, revoked in the caller's transaction; the tracker and web seed
     * of this replica refuse them at once, other replicas at their next directory refresh.
     *
     * @return how many were still active
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int revokeAllOf(UUID agentId) {
        List<Passkey> active = Passkey.list("agentId = ?1 and revokedAt is null", agentId);
        Instant now = Instant.now();
        for (Passkey p : active) {
            p.revokedAt = now;
            directory.put(p);
        }
        return active.size();
    }

    /** @throws DomainException.Forbidden when the passkey is unknown or revoked */
    @Transactional
    public Passkey requireActive(String value) {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new DomainException.Forbidden("Unknown passkey.");
        }
        Passkey p = Passkey.byValue(value).orElseThrow(() -> new DomainException.Forbidden("Unknown passkey."));
        if (!p.active()) {
            throw new DomainException.Forbidden("This passkey has been revoked.");
        }
        return p;
    }

    private static Passkey find(String value) {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new DomainException.NotFound("No such passkey.");
        }
        return Passkey.byValue(value).orElseThrow(() -> new DomainException.NotFound("No such passkey."));
    }

    static String newValue() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
