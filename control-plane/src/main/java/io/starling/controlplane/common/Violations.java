package io.starling.controlplane.common;

import jakarta.validation.ConstraintValidatorContext;

/**
 * Violations a class-level validator adds by hand, one per bad field, so that one 400 names every
 * bad field at once. Messages are fixed text, never templates built from input.
 */
public final class Violations {

    private final ConstraintValidatorContext context;
    private boolean any;

    public Violations(ConstraintValidatorContext context) {
        this.context = context;
    }

    public void add(String field, String message) {
        if (!any) {
            context.disableDefaultConstraintViolation();
            any = true;
        }
        // Escaped anyway: Hibernate Validator evaluates {…} and ${…} in message templates.
        String template = message.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$");
        context.buildConstraintViolationWithTemplate(template).addPropertyNode(field).addConstraintViolation();
    }

    public boolean none() {
        return !any;
    }
}
