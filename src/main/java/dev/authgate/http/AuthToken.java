package dev.authgate.http;

/** The answer of signup and login. */
@io.quarkus.runtime.annotations.RegisterForReflection
public record AuthToken(String authToken) {
}
