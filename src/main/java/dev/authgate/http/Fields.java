package dev.authgate.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * A request body's fields, from JSON or form encoding (the Xano SDK sends both). Wrong shapes become 400s in
 * the error shape; a missing body is simply no fields, so the first required field is reported missing.
 */
public final class Fields {

    /** Bodies are small objects of strings: refuse deep nesting and huge strings while parsing. */
    private static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(32).maxStringLength(64 * 1024).maxNumberLength(64).build())
            .build()).build();
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final Map<String, Object> values;

    private Fields(Map<String, Object> values) {
        this.values = values;
    }

    public static Fields parse(String contentType, byte[] body) {
        if (body == null || body.length == 0) {
            return new Fields(Map.of());
        }
        if (contentType != null && contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
            return new Fields(form(new String(body, StandardCharsets.UTF_8)));
        }
        try {
            Map<String, Object> map = JSON.readValue(body, OBJECT);
            if (map == null) {
                throw ApiException.badRequest("The request body must be a JSON object.");
            }
            return new Fields(map);
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("The request body is not a valid JSON object.");
        }
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
            throw ApiException.badRequest("The request body is not valid form encoding.");
        }
        return map;
    }

    /** A text field, or empty when absent or null; another type is an input error naming the field. */
    public Optional<String> text(String name) {
        Object v = values.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String s)) {
            throw ApiException.input(name, "Invalid value for param: " + name + " (expected text).");
        }
        if (!storable(s)) {
            throw ApiException.input(name, "Invalid value for param: " + name + " (NUL or a lone surrogate).");
        }
        return Optional.of(s);
    }

    /** For fields that can be cleared: empty when absent, {@code Optional.of(empty)} when given as null. */
    public Optional<Optional<String>> clearableText(String name) {
        if (!values.containsKey(name)) {
            return Optional.empty();
        }
        return Optional.of(text(name));
    }

    /**
     * Text PostgreSQL and UTF-8 can hold as given: no NUL, no unpaired surrogate (it would be stored, or
     * hashed, as {@code ?} and so equal other text).
     */
    static boolean storable(String s) {
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

    public String requiredText(String name) {
        return text(name).orElseThrow(() -> ApiException.input(name, "Missing param: " + name));
    }

    /** A whole number field (JSON number or numeric text), or empty when absent. */
    public Optional<Long> integer(String name) {
        Object v = values.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Integer || v instanceof Long) {
            return Optional.of(((Number) v).longValue());
        }
        if (v instanceof String s && s.strip().matches("-?\\d{1,18}")) {
            return Optional.of(Long.parseLong(s.strip()));
        }
        throw ApiException.input(name, "Invalid value for param: " + name + " (expected an integer).");
    }

    /** A JSON object field, or empty when absent; form bodies cannot carry objects. */
    public Optional<Map<String, Object>> object(String name) {
        Object v = values.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw ApiException.input(name, "Invalid value for param: " + name + " (expected an object).");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> typed = (Map<String, Object>) m;
        return Optional.of(typed);
    }
}
