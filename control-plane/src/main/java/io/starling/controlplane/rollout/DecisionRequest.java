package io.starling.controlplane.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.controlplane.common.DomainException;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An approver's optional word on an approval or a denial; kept on the rollout and sent on the live feed. */
@Schema(example = "{\"comment\": \"Not during the quarter close; try again on Monday.\"}")
public record DecisionRequest(@Schema(maxLength = DecisionRequest.MAX_COMMENT) String comment) {

    static final int MAX_COMMENT = 1000;

    /**
     * The body is optional, with or without a Content-Type ({@code curl -X POST …/approve} sends
     * neither), which a JSON-typed parameter would answer with 415; so it is read here.
     *
     * @return the comment, or null for an empty body or none
     */
    static String comment(String body, ObjectMapper json) {
        if (body == null || body.isBlank()) {
            return null;
        }
        DecisionRequest d;
        try {
            d = json.readValue(body, DecisionRequest.class);
        } catch (JsonProcessingException e) {
            throw new DomainException.Invalid("body: must be empty or a JSON object like {\"comment\": \"…\"}.");
        }
        if (d == null || d.comment() == null || d.comment().isBlank()) {
            return null;
        }
        if (d.comment().length() > MAX_COMMENT) {
            throw new DomainException.Invalid("comment: must be at most " + MAX_COMMENT + " characters.");
        }
        return d.comment().strip();
    }
}
