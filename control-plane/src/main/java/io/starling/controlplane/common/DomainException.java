package io.starling.controlplane.common;

/**
 * A refusal the caller can act on. Each subclass is one HTTP status and one stable problem type.
 * Services throw these; {@link ProblemMapper} turns them into problem+json.
 */
public abstract sealed class DomainException extends RuntimeException
        permits DomainException.NotFound, DomainException.Conflict, DomainException.Invalid,
        DomainException.TooLarge, DomainException.LengthRequired, DomainException.Forbidden,
        DomainException.Unavailable, DomainException.Unauthenticated, DomainException.TooManyRequests {

    private final int status;
    private final String slug;
    private final String title;

    private DomainException(int status, String slug, String title, String detail) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public static final class NotFound extends DomainException {
        public NotFound(String detail) {
            super(404, "not-found", "Not found", detail);
        }
    }

    public static final class Conflict extends DomainException {
        public Conflict(String detail) {
            super(409, "conflict", "Conflict with the current state", detail);
        }
    }

    public static final class Invalid extends DomainException {
        public Invalid(String detail) {
            super(400, "invalid-request", "Invalid request", detail);
        }
    }

    public static final class TooLarge extends DomainException {
        public TooLarge(String detail) {
            super(413, "too-large", "Payload too large", detail);
        }
    }

    public static final class LengthRequired extends DomainException {
        public LengthRequired(String detail) {
            super(411, "length-required", "Length required", detail);
        }
    }

    /** The server cannot serve this now, and says why; not a bug, so not a 500. */
    public static final class Unavailable extends DomainException {
        public Unavailable(String detail) {
            super(503, "unavailable", "Unavailable", detail);
        }
    }

    /**
     * The credential was missing, unknown or is no longer valid: an enrollment token, or a bearer
     * token whose agent is unknown or revoked. Bad bearer tokens never get this far: Quarkus
     * refuses them first.
     */
    public static final class Unauthenticated extends DomainException {
        public Unauthenticated(String detail) {
            super(401, "unauthenticated", "Unauthenticated", detail);
        }
    }

    public static final class Forbidden extends DomainException {
        public Forbidden(String detail) {
            super(403, "forbidden", "Forbidden", detail);
        }
    }

    /** The caller asked too often; {@code Retry-After} says when to try again. */
    public static final class TooManyRequests extends DomainException {
        private final long retryAfterSeconds;

        public TooManyRequests(String detail, long retryAfterSeconds) {
            super(429, "too-many-requests", "Too many requests", detail);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
