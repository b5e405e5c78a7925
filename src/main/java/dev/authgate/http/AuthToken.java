package dev.authgate.http;

/** The answer of signup and login. */
public record AuthToken(String authToken) {
}
