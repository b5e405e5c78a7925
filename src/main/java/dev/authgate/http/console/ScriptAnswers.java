package dev.authgate.http.console;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.authgate.passkey.Passkeys;

/** The JSON the console's passkey script reads: the same options as the API's, where to go, or why not. */
@Singleton
class ScriptAnswers {

    private final ObjectMapper json;

    ScriptAnswers(ObjectMapper json) {
        this.json = json;
    }

    /** As the API's {@code auth/passkeys/.../options}: {@code {"challenge_id","publicKey"}}. */
    String options(Passkeys.Options options) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("challenge_id", options.challengeId());
        body.put("publicKey", options.publicKey());
        return write(body);
    }

    String location(String location) {
        return write(Map.of("location", location));
    }

    String message(String message) {
        return write(Map.of("message", message));
    }

    private String write(Map<String, Object> body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // maps of strings and numbers always serialize
        }
    }
}
