package dev.authgate.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;


import org.hibernate.validator.constraints.time.DurationMin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

/**
 * Service clients: {@code authgate.clients.<client-id>.*}. Secrets come as given, e.g. from a mounted Kubernetes
 * Secret. Their public address and throttling are in {@code AuthgateConfig} ({@code authgate.public-url},
 * {@code authgate.throttle.clients.*}): one mapping per prefix.
 */
@ConfigMapping(prefix = "authgate.clients")
public interface ClientsConfig {

    /** Per client id: {@code authgate.clients.<id>.secret|groups|scopes}. */
    @WithParentName
    Map<String, Client> clients();

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
}
