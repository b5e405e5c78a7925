package dev.authgate.events;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;

/** {@code authgate.webhooks.<name>.*}: where events are posted (docs/events.md); checked at start by {@link Webhooks}. */
@ConfigMapping(prefix = "authgate.webhooks")
public interface WebhooksConfig {

    @WithParentName
    Map<String, Webhook> webhooks();

    interface Webhook {
        /** An http or https URL. */
        URI url();

        /** Event names (docs/events.md); unset: every event. */
        Optional<List<String>> events();

        /** {@code whsec_} and the base64 of at least 24 random bytes (Standard Webhooks). */
        String secret();
    }
}
