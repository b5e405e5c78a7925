package dev.authgate.http;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;

import dev.authgate.failure.Failure;

/**
 * The single reader of request bodies: every body is a record, read from JSON or form encoding (the Xano SDK sends
 * both) and then checked by Bean Validation ({@code @Valid} on the resource parameter). A missing body is no
 * fields, so the first required field is reported missing; a body that is not an object is a bad request; a field
 * of the wrong type is an input error naming it. Extra fields are ignored.
 */
@Provider
@Consumes(MediaType.WILDCARD)
public class BodyReader implements MessageBodyReader<Record> {

    /** Bodies are small objects: refuse deep nesting and huge strings while parsing. */
    private static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(32).maxStringLength(64 * 1024).maxNumberLength(64).build())
            .build())
            .addModule(new Jdk8Module())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Integer, c -> c
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
            .build();
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
    };

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type.isRecord();
    }

    @Override
    public Record readFrom(Class<Record> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, String> headers, InputStream body) throws IOException {
        return read(type, fields(mediaType, bytes(headers, body)));
    }

    /**
     * The body, read into one array of its declared length (readAllBytes would take an 8 KiB buffer and a copy for
     * every few hundred bytes); without a usable Content-Length (chunked), all of it. BodyLimit's stream refuses
     * what is over the limit either way.
     */
    private static byte[] bytes(MultivaluedMap<String, String> headers, InputStream body) throws IOException {
        String declared = headers.getFirst(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && !declared.isEmpty() && declared.length() < 10
                && declared.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return body.readNBytes(Integer.parseInt(declared));
        }
        return body.readAllBytes();
    }

    static Map<String, Object> fields(MediaType mediaType, byte[] body) {
        if (body.length == 0) {
            return Map.of();
        }
        if (mediaType != null && mediaType.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)) {
            return form(new String(body, StandardCharsets.UTF_8));
        }
        Map<String, Object> map;
        try {
            map = JSON.readValue(body, OBJECT);
        } catch (IOException e) {
            throw Failure.malformed("The request body is not a valid JSON object.");
        }
        if (map == null) {
            throw Failure.malformed("The request body must be a JSON object.");
        }
        return map;
    }

    private static Map<String, Object> form(String body) {
        Map<String, Object> map = new LinkedHashMap<>();
        try {
            for (String pair : body.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                map.putIfAbsent(key, value);
            }
        } catch (IllegalArgumentException e) {
            throw Failure.malformed("The request body is not valid form encoding.");
        }
        return map;
    }

    static <T> T read(Class<T> type, Map<String, Object> fields) {
        fields.forEach((name, value) -> {
            if (!storable(value)) {
                throw Failure.invalidInput(name, "Invalid value for param: " + name + " (NUL or a lone surrogate).");
            }
        });
        try {
            return explicitNulls(JSON.convertValue(fields, type), fields);
        } catch (IllegalArgumentException e) {
            if (e.getCause() instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
                String name = m.getPath().get(0).getFieldName();
                throw Failure.invalidInput(name,
                        "Invalid value for param: " + name + " (expected " + expected(m.getTargetType()) + ").");
            }
            throw Failure.malformed("The request body does not have the expected shape.");
        }
    }

    /**
     * An {@code Optional} field says "absent" with null and "set to null" with {@code Optional.empty()} (e.g. clearing
     * a role); Jackson does not tell the two apart, so they are set here from what the body held.
     */
    private static <T> T explicitNulls(T value, Map<String, Object> fields) {
        if (value == null || !value.getClass().isRecord()) {
            return value;
        }
        RecordComponent[] components = value.getClass().getRecordComponents();
        Object[] args = new Object[components.length];
        boolean changed = false;
        try {
            for (int i = 0; i < components.length; i++) {
                RecordComponent c = components[i];
                args[i] = c.getAccessor().invoke(value);
                String name = Optional.ofNullable(c.getAccessor().getAnnotation(JsonProperty.class))
                        .map(JsonProperty::value).orElse(c.getName());
                if (c.getType() == Optional.class) {
                    Object wanted = fields.containsKey(name) ? (args[i] == null ? Optional.empty() : args[i]) : null;
                    changed |= wanted != args[i];
                    args[i] = wanted;
                }
            }
            if (!changed) {
                return value;
            }
            Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            @SuppressWarnings("unchecked")
            T copy = (T) value.getClass().getDeclaredConstructor(types).newInstance(args);
            return copy;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + value.getClass().getSimpleName(), e);
        }
    }

    private static String expected(Class<?> target) {
        if (target == null) {
            return "another type";
        }
        if (Number.class.isAssignableFrom(target) || target == long.class || target == int.class) {
            return "an integer";
        }
        return Map.class.isAssignableFrom(target) ? "an object" : "text";
    }

    /**
     * Text PostgreSQL and UTF-8 can hold as given, at any depth: no NUL, no unpaired surrogate (it would be stored,
     * or hashed, as {@code ?} and so equal other text; jsonb refuses NUL).
     */
    static boolean storable(Object value) {
        if (value instanceof String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == 0) {
                    return false;
                }
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof Map<?, ?> m) {
            return m.entrySet().stream().allMatch(e -> storable(e.getKey()) && storable(e.getValue()));
        }
        if (value instanceof Iterable<?> list) {
            for (Object item : list) {
                if (!storable(item)) {
                    return false;
                }
            }
        }
        return true;
    }
}
