package dev.authgate.http;

import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;

/**
 * Bean Validation of a request body at the point the endpoint chooses, for endpoints that must decide something
 * first (a flow that is off is a 404, a service client must authenticate) so that the body's faults tell a
 * stranger nothing. Violations leave through the same mapper as {@code @Valid}'s.
 */
@Singleton
public class BodyCheck {

    private final Validator validator;

    public BodyCheck(Validator validator) {
        this.validator = validator;
    }

    public <T> T valid(T body) {
        var violations = validator.validate(body);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return body;
    }

    /** The same check, raised as the input error the API would answer (its first field): for the console's forms. */
    public <T> T checked(T body) {
        var violations = validator.validate(body);
        if (!violations.isEmpty()) {
            throw Violations.first(new ConstraintViolationException(violations));
        }
        return body;
    }
}
