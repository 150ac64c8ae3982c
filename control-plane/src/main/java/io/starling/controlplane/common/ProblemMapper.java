package io.starling.controlplane.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.starling.protocol.agent.DeploymentState;
import jakarta.persistence.OptimisticLockException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place that builds error bodies: every failure leaves the API as
 * {@code application/problem+json} (RFC 9457) with a stable type URI, never as a stack trace.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    private static final String CHALLENGE = "Bearer realm=\"starling\"";

    private final ApiConfig config;

    ProblemMapper(ApiConfig config) {
        this.config = config;
    }

    @ServerExceptionMapper
    public Response domain(DomainException e) {
        Response response = new Problem(Problem.type(e.slug()), e.title(), e.status(), e.getMessage(), null, null)
                .toResponse();
        if (e instanceof DomainException.TooManyRequests limited) {
            return Response.fromResponse(response).header("Retry-After", Math.max(1, limited.retryAfterSeconds()))
                    .build();
        }
        return e.status() == 401 ? withChallenge(response) : response;
    }

    /** The deployment state table lives in the protocol module, which knows nothing of HTTP. */
    @ServerExceptionMapper
    public Response illegalTransition(DeploymentState.IllegalStateTransitionException e) {
        String from = e.from().name().toLowerCase();
        String detail = ("aeiou".indexOf(from.charAt(0)) >= 0 ? "An " : "A ") + from + " deployment cannot become "
                + e.to().name().toLowerCase() + ".";
        return new Problem(Problem.type("conflict"), "Conflict with the current state", 409, detail, null, null)
                .toResponse();
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        String detail = e.getConstraintViolations().stream()
                .map(ProblemMapper::describe)
                .sorted()
                .collect(Collectors.joining("; "));
        return new Problem(Problem.type("invalid-request"), "Invalid request", 400, detail, null, null).toResponse();
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        if (documentTooLong(e)) {
            return domain(new DomainException.TooLarge("The request body is longer than " + config.maxJsonBody().asLongValue()
                    + " bytes, the most a JSON body may be (starling.api.max-json-body)."));
        }
        String detail = "The request body is not valid JSON for this endpoint: " + e.getOriginalMessage();
        return new Problem(Problem.type("invalid-request"), "Invalid request", 400, detail, null, null).toResponse();
    }

    /**
     * A value of the wrong type ({@code "uses": "many"}). quarkus-rest-jackson maps this subtype
     * itself, as plain JSON, unless a mapper names it exactly.
     */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper(priority = 1)
    public Response unauthorized(UnauthorizedException e) {
        return unauthenticated();
    }

    @ServerExceptionMapper(priority = 1)
    public Response authenticationFailed(AuthenticationFailedException e) {
        return unauthenticated();
    }

    @ServerExceptionMapper(priority = 1)
    public Response forbidden(ForbiddenException e) {
        return new Problem(Problem.type("forbidden"), "Forbidden", 403,
                "Your roles do not allow this operation.", null, null).toResponse();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        // quarkus-rest-jackson wraps what Jackson could not read in a bare 400; say what it was.
        if (status == 400 && e.getCause() instanceof JsonProcessingException unreadable) {
            return unreadableJson(unreadable);
        }
        if (status >= 500) {
            return unexpected(e);
        }
        String title = Response.Status.fromStatusCode(status) == null
                ? "Request refused" : Response.Status.fromStatusCode(status).getReasonPhrase();
        String detail = switch (status) {
            case 404 -> "No such resource.";
            case 405 -> "This method is not allowed on this resource.";
            case 406 -> "The requested media type cannot be produced.";
            case 415 -> "This media type is not accepted here.";
            default -> e.getMessage();
        };
        Response.ResponseBuilder builder = Response.fromResponse(e.getResponse()).entity(
                new Problem(Problem.type(status == 404 ? "not-found" : "http-" + status), title, status, detail, null, null))
                .type(Problem.PROBLEM_JSON);
        return builder.build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (changedMeanwhile(e)) {
            // A row's @Version moved between this request's read and its write (often at commit,
            // wrapped by the transaction manager): the caller may read it again and retry.
            return new Problem(Problem.type("conflict"), "Conflict with the current state", 409,
                    "Someone else changed this at the same moment; read it again and retry.", null, null).toResponse();
        }
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected error %s", errorId);
        return new Problem(Problem.type("internal"), "Internal error", 500,
                "Something went wrong on our side; quote error id " + errorId + " when reporting it.", null, errorId)
                .toResponse();
    }

    static Response unauthenticated() {
        return Response.status(401).type(Problem.PROBLEM_JSON)
                .header("WWW-Authenticate", CHALLENGE)
                .entity(new Problem(Problem.type("unauthenticated"), "Unauthenticated", 401,
                        "A valid bearer token is required.", null, null))
                .build();
    }

    /** RFC 9110: a 401 names the scheme that would work. */
    private static Response withChallenge(Response response) {
        return Response.fromResponse(response).header("WWW-Authenticate", CHALLENGE).build();
    }

    /**
     * Whether Jackson stopped at {@link JsonBodyLimit}'s bound (possibly wrapped by databind). Its
     * other bounds (nesting depth, a 1000-digit number) are plain bad requests; Jackson tells them
     * apart only by message.
     */
    private static boolean documentTooLong(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamConstraintsException && t.getMessage() != null
                    && t.getMessage().startsWith("Document length")) {
                return true;
            }
        }
        return false;
    }

    private static boolean changedMeanwhile(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OptimisticLockException || t instanceof StaleStateException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(ConstraintViolation<?> v) {
        String path = v.getPropertyPath().toString();
        int dot = path.lastIndexOf('.');
        String field = dot >= 0 ? path.substring(dot + 1) : path;
        return field + ": " + v.getMessage();
    }
}
