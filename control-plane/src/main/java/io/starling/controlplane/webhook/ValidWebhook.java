package io.starling.controlplane.webhook;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The rules of a {@link WebhookRequest}; see {@link WebhookRequestCheck}. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = WebhookRequestCheck.class)
public @interface ValidWebhook {
    String message() default "is not a valid webhook";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
