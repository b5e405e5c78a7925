package dev.authgate.client;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;


/**
 * What a client presented: {@code client_secret_basic} (HTTP Basic) or {@code client_secret_post} (form fields
 * {@code client_id}/{@code client_secret}). Both at once, or neither, is no credential (RFC 6749 §2.3).
 *
 * @param secrets the secret as it may be meant: RFC 6749 §2.3.1 form-urlencodes Basic's id and secret, but many
 *        clients (quarkus-oidc among them) send them as they are, so both readings are tried
 */
public record ClientCredentials(String id, List<String> secrets) {

    private static final String BASIC = "basic ";
    /** Longer ids match nothing configured; they are not worth a throttle key. */
    public static final int MAX_ID = 100;

    public static Optional<ClientCredentials> of(String authorization, String clientId, String clientSecret) {
        Optional<String> postedId = Optional.ofNullable(clientId);
        boolean basic = authorization != null && authorization.strip().regionMatches(true, 0, BASIC, 0, BASIC.length());
        if (basic == postedId.isPresent()) {
            return Optional.empty();
        }
        return basic ? basic(authorization.strip().substring(BASIC.length()).strip())
                : Optional.ofNullable(clientSecret).map(secret -> new ClientCredentials(postedId.get(), List.of(secret)));
    }

    private static Optional<ClientCredentials> basic(String encoded) {
        String pair;
        try {
            pair = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = pair.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String secret = pair.substring(colon + 1);
        return Optional.of(new ClientCredentials(formDecoded(pair.substring(0, colon)),
                List.of(secret, formDecoded(secret))));
    }

    private static String formDecoded(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    @Override
    public String toString() {
        return "ClientCredentials[" + id + "]"; // never the secret
    }
}
