package dev.authgate.events;

import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.Startup;

/**
 * The configured webhooks, checked at start (a mistake stops the start with a message naming the key, never the
 * secret), and the outbox rows an event gets: one per webhook that wants it, in the event's transaction.
 */
@Startup // a wrong setting stops the start, not the first event
@Singleton
public class Webhooks {

    /** One webhook as configured and checked. */
    public record Target(String name, String url, Set<String> events, byte[] key) {
        boolean wants(AuditEvent event) {
            return events.isEmpty() || events.contains(event.wire());
        }
    }

    static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> OBJECT =
            new com.fasterxml.jackson.core.type.TypeReference<>() {
            };

    private final EntityManager em;
    private final ObjectMapper json;
    private final Map<String, Target> targets;

    public Webhooks(WebhooksConfig config, EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
        Map<String, Target> checked = new HashMap<>();
        config.webhooks().forEach((name, w) -> checked.put(name, check(name, w)));
        this.targets = Map.copyOf(checked);
    }

    static Target check(String name, WebhooksConfig.Webhook w) {
        return target("authgate.webhooks." + name, name, w.url(), w.events().orElse(List.of()), w.secret());
    }

    /** A webhook (or the token hook) checked: {@code key} is the prefix its settings have, named in every message. */
    static Target target(String key, String name, URI url, List<String> names, String secret) {
        if (!url.isAbsolute() || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
                || url.getHost() == null) {
            throw new IllegalStateException(key + ".url must be an absolute http or https URL");
        }
        List<String> unknown = names.stream().map(String::strip).filter(e -> AuditEvent.named(e).isEmpty()).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalStateException(key + ".events names no event: " + unknown + " (docs/events.md)");
        }
        try {
            return new Target(name, url.toString(), names.stream().map(String::strip)
                    .collect(Collectors.toUnmodifiableSet()), Signature.key(secret));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(key + ".secret " + e.getMessage());
        }
    }

    /** The webhooks this replica is configured with: the only ones it delivers. */
    public String[] names() {
        return targets.keySet().toArray(String[]::new);
    }

    public Target target(String name) {
        return targets.get(name);
    }

    /** In the event's transaction: an outbox row per webhook that wants the event. */
    void enqueue(long auditId, Instant at, AuditEvent event, String outcome, String table, Long accountId,
            Map<String, ?> detail) {
        if (targets.isEmpty()) {
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("audit_id", auditId);
        data.put("table", table);
        data.put("account_id", accountId);
        data.put("outcome", outcome);
        data.put("detail", detail);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", event.wire());
        payload.put("timestamp", at.toString());
        payload.put("data", data);
        String body;
        try {
            body = json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event payload is not JSON", e);
        }
        for (Target t : targets.values()) {
            if (t.wants(event)) {
                em.createNativeQuery("insert into auth_webhook_outbox (webhook, msg_id, event, dbtable, account_id, "
                        + "payload) values (?1, ?2, ?3, ?4, cast(?5 as bigint), ?6)").setParameter(1, t.name())
                        .setParameter(2, "msg_" + auditId).setParameter(3, event.wire()).setParameter(4, table)
                        .setParameter(5, accountId).setParameter(6, body).executeUpdate();
            }
        }
    }
}
