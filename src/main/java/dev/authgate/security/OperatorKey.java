package dev.authgate.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;
import io.vertx.core.http.HttpServerRequest;

import dev.authgate.throttle.Throttle;
import dev.authgate.throttle.ThrottleKey;
import dev.authgate.config.AuthgateConfig;
import dev.authgate.failure.Failure;

/**
 * The operator's key for quick test tokens ({@code authgate.quick-tokens.secret}); unset means the feature is off.
 * Checked at start (a short key stops the service), and wrong keys are throttled per client address.
 */
@Startup
@Singleton
public class OperatorKey {

    public static final String HEADER = "X-Authgate-Operator-Key";

    /** 32 characters: even a key of lower-case letters and digits is then beyond guessing at any rate. */
    static final int MIN_LENGTH = 32;

    private static final Logger LOG = Logger.getLogger(OperatorKey.class);

    private final Optional<byte[]> digest;
    private final int maxFailures;
    private final Throttle throttle;
    private final ClientAddress clients;
    private final HttpServerRequest request;

    public OperatorKey(AuthgateConfig config, Throttle throttle, ClientAddress clients, HttpServerRequest request) {
        this.digest = checked(config.quickTokens().secret()).map(OperatorKey::sha256);
        this.maxFailures = config.quickTokens().maxFailuresPerAddress();
        this.throttle = throttle;
        this.clients = clients;
        this.request = request;
    }

    /** The key if it is set and long enough; a start-up failure naming the key if it is too short. */
    static Optional<String> checked(Optional<String> secret) {
        Optional<String> set = secret.filter(s -> !s.isBlank());
        if (set.isPresent() && set.get().length() < MIN_LENGTH) {
            throw new IllegalStateException("authgate.quick-tokens.secret (AUTHGATE_QUICK_TOKENS_SECRET) is shorter than "
                    + MIN_LENGTH + " characters: make a longer one (e.g. head -c 32 /dev/urandom | base64), or unset it "
                    + "to turn quick test tokens off.");
        }
        return set;
    }

    /**
     * Constant time: both sides are hashed first, so neither content nor length leaks through timing. An address
     * that sent {@code max-failures-per-address} wrong keys within the throttle window is refused even the right
     * one until its failures age out; the caller answers 404 either way, so the endpoint stays hidden.
     */
    public boolean accepts(String presented) {
        if (digest.isEmpty() || presented == null) {
            return false;
        }
        var limit = new Throttle.Limit(ThrottleKey.operatorKey(clients.addressKey(request)), maxFailures);
        try {
            throttle.check(limit);
        } catch (Failure e) {
            if (e.kind() != Failure.Kind.TOO_MANY_ATTEMPTS) {
                throw e;
            }
            LOG.warnf("quick-token: operator key refused without a look, too many wrong keys from %s", clients.of(request));
            return false;
        }
        if (MessageDigest.isEqual(digest.get(), sha256(presented))) {
            return true;
        }
        throttle.record(limit);
        return false;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
