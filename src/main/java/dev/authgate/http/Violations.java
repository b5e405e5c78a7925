package dev.authgate.http;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.authgate.failure.Failure;

/** Bean Validation's violations as Xano's input error: one field, named as the client spelled it. */
final class Violations {

    private Violations() {
    }

    /** The violation of the earliest field in the record's declaration order (name, then email, then password). */
    static Failure first(ConstraintViolationException e) {
        ConstraintViolation<?> first = e.getConstraintViolations().stream()
                .min(Comparator.comparingInt(Violations::position)).orElseThrow();
        return Failure.invalidInput(param(first), first.getMessage());
    }

    private static int position(ConstraintViolation<?> v) {
        List<String> names = components(v).stream().map(RecordComponent::getName).toList();
        int i = names.indexOf(property(v));
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    private static String param(ConstraintViolation<?> v) {
        String property = property(v);
        return components(v).stream().filter(c -> c.getName().equals(property)).findFirst()
                // @JsonProperty does not target record components: it lands on the accessor
                .map(c -> c.getAccessor().getAnnotation(JsonProperty.class)).map(JsonProperty::value).orElse(property);
    }

    private static String property(ConstraintViolation<?> v) {
        String name = null;
        for (Path.Node node : v.getPropertyPath()) {
            if (node.getKind() == ElementKind.PROPERTY) {
                name = node.getName();
            }
        }
        return name == null ? "body" : name;
    }

    private static List<RecordComponent> components(ConstraintViolation<?> v) {
        Object bean = v.getLeafBean();
        return bean != null && bean.getClass().isRecord() ? Arrays.asList(bean.getClass().getRecordComponents())
                : List.of();
    }
}
