package io.starling.controlplane.webhook;

import io.starling.controlplane.common.Violations;
import io.starling.controlplane.rollout.RolloutEventRecorder;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks a webhook request, adding one violation per bad field so that the 400 lists them all.
 * Messages never echo the secret.
 */
public class WebhookRequestCheck implements ConstraintValidator<ValidWebhook, WebhookRequest> {

    static final int MAX_URL = 2048;
    static final int MIN_SECRET = 16;
    static final int MAX_SECRET = 256;

    @Override
    public boolean isValid(WebhookRequest r, ConstraintValidatorContext context) {
        if (r == null) {
            return true;
        }
        Violations v = new Violations(context);
        String url = url(r.url());
        if (url != null) {
            v.add("url", url);
        }
        String events = events(r.events());
        if (events != null) {
            v.add("events", events);
        }
        if (r.secret() != null && (r.secret().length() < MIN_SECRET || r.secret().length() > MAX_SECRET
                || r.secret().chars().anyMatch(Character::isISOControl))) {
            v.add("secret", "must be " + MIN_SECRET + " to " + MAX_SECRET + " characters without control characters");
        }
        return v.none();
    }

    /** @return what is wrong with the URL, or null */
    static String url(String url) {
        String rule = "must be an absolute http:// or https:// URL with a host";
        if (url == null || url.isBlank()) {
            return "required; " + rule;
        }
        if (url.length() > MAX_URL) {
            return "must be at most " + MAX_URL + " characters";
        }
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!u.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null
                    || u.getRawUserInfo() != null || u.getRawFragment() != null) {
                return rule + " (no user name or #fragment)";
            }
            return null;
        } catch (URISyntaxException e) {
            return rule;
        }
    }

    /** @return what is wrong with the event types, or null */
    static String events(List<String> events) {
        String known = String.join(", ", RolloutEventRecorder.TYPES);
        if (events == null || events.isEmpty()) {
            return "must list at least one of " + known;
        }
        Set<String> seen = new HashSet<>();
        long unknown = events.stream().filter(e -> e == null || !RolloutEventRecorder.TYPES.contains(e)).count();
        if (unknown > 0) {
            return unknown + " of " + events.size() + " are not event types; known: " + known;
        }
        if (!events.stream().allMatch(seen::add)) {
            return "must not list a type twice";
        }
        return null;
    }
}
