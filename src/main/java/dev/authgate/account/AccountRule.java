package dev.authgate.account;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.Map;
import java.util.Optional;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * A field checked by one of {@link AccountRules}' rules, with that rule's message. Null passes: required fields
 * add {@code @NotNull}.
 */
@Documented
@Constraint(validatedBy = AccountRule.Validator.class)
@Target({ FIELD, PARAMETER, RECORD_COMPONENT, TYPE_USE })
@Retention(RUNTIME)
public @interface AccountRule {

    enum Kind { NAME, EMAIL, PASSWORD, EXTRAS }

    Kind value();

    String message() default "Invalid value.";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<AccountRule, Object> {

        private Kind kind;

        @Override
        public void initialize(AccountRule rule) {
            this.kind = rule.value();
        }

        @Override
        @SuppressWarnings("unchecked")
        public boolean isValid(Object value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            Optional<String> problem = switch (kind) {
                case NAME -> AccountRules.nameProblem((String) value);
                case EMAIL -> AccountRules.emailProblem((String) value);
                case PASSWORD -> AccountRules.passwordProblem((String) value);
                case EXTRAS -> AccountRules.extrasProblem((Map<String, Object>) value);
            };
            problem.ifPresent(p -> {
                context.disableDefaultConstraintViolation();
                context.buildConstraintViolationWithTemplate(p).addConstraintViolation();
            });
            return problem.isEmpty();
        }
    }
}
