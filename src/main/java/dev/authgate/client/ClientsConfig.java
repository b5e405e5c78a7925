package dev.authgate.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.validation.constraints.Positive;

import org.hibernate.validator.constraints.time.DurationMin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Service clients ({@code authgate.clients.<client-id>.*}), the public address used in OAuth metadata, and the
 * throttling of failed client authentications. Secrets come as given, e.g. from a mounted Kubernetes Secret.
 */
@ConfigMapping(prefix = "authgate")
public interface ClientsConfig {

    /** Per client id: {@code authgate.clients.<id>.secret|groups|scopes}. */
    Map<String, Client> clients();

    /**
     * The service's public base URL (e.g. {@code https://auth.example.com}) for the absolute URLs of
     * {@code /.well-known/oauth-authorization-server}; unset, they are formed from the request's scheme and Host.
     */
    Optional<String> publicUrl();

    Throttle throttle();

    interface Client {
        /** At least 32 characters; compared in constant time. */
        String secret();

        /** API groups whose tokens this client may introspect, revoke and issue. */
        List<String> groups();

        /** Of {@code introspect}, {@code revoke}, {@code issue}, {@code issue:role}, {@code issue:verified}. */
        List<String> scopes();

        /**
         * The longest token the client may issue; 0 lets it issue any, tokens that never expire included. A request
         * without an expiration gets the table's, capped to this.
         */
        @WithDefault("30D")
        @DurationMin(seconds = 0)
        Duration maxExpiration();
    }

    interface Throttle {
        Clients clients();

        interface Clients {
            /**
             * Failed authentications per client id before 429. High on purpose: secrets are long and random, so
             * this bounds a distributed guesser, and a low value would let anyone lock a service out.
             */
            @WithDefault("100")
            @Positive
            int maxFailures();

            /** Failed client authentications per client address before 429: slows a single prober. */
            @WithDefault("20")
            @Positive
            int maxFailuresPerAddress();
        }
    }
}
