package dev.authgate.security;

import jakarta.inject.Singleton;

import io.vertx.core.MultiMap;

import dev.authgate.config.AuthgateConfig;

/**
 * The one place that decides which header holds the token (docs/api.md, the alternative-header rules):
 * <ol>
 * <li>{@code X-Xano-Authorization} present: the token is its value ({@code Bearer } optional); Authorization is ignored;</li>
 * <li>else {@code X-Xano-Authorization-Only: true}: there is no token, whatever Authorization holds;</li>
 * <li>else Authorization's {@code Bearer} token.</li>
 * </ol>
 * Header names are case-insensitive; the {@code X-Xano} prefix is {@code authgate.headers.prefix}.
 */
@Singleton
public class TokenHeaders {

    private static final String BEARER = "bearer ";

    private final String alternative;
    private final String only;

    public TokenHeaders(AuthgateConfig config) {
        this.alternative = config.headers().prefix() + "-Authorization";
        this.only = config.headers().prefix() + "-Authorization-Only";
    }

    /** The token the request carries, or null when it carries none. */
    public String tokenOf(MultiMap headers) {
        String xa = headers.get(alternative);
        if (xa != null) {
            return withoutBearer(xa.strip());
        }
        String onlyValue = headers.get(only);
        if (onlyValue != null && onlyValue.strip().equalsIgnoreCase("true")) {
            return null;
        }
        String a = headers.get("Authorization");
        if (a == null || !startsWithBearer(a.strip())) {
            return null; // absent, or another scheme (Basic, ...) meant for another system
        }
        return a.strip().substring(BEARER.length()).strip();
    }

    private static String withoutBearer(String value) {
        return startsWithBearer(value) ? value.substring(BEARER.length()).strip() : value;
    }

    private static boolean startsWithBearer(String value) {
        return value.regionMatches(true, 0, BEARER, 0, BEARER.length());
    }
}
