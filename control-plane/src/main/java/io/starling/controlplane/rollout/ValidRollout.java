package io.starling.controlplane.rollout;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The rules of a {@link RolloutRequest} that span fields or parse text; see {@link RolloutRequestCheck}. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = RolloutRequestCheck.class)
public @interface ValidRollout {
    String message() default "is not a valid rollout";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
