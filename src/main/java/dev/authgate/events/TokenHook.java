package dev.authgate.events;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;

import dev.authgate.failure.Failure;

/**
 * The token hook: before a token is issued, the record and the proposed extras are posted (signed as webhooks are) to
 * {@code authgate.hooks.token.url}; the answer's {@code extras} are merged in ({@code role} only when
 * {@code may-set-role}), and {@code deny} refuses the sign-in with 403 and its message. A hook that does not answer
 * within the timeout, answers other than 2xx, or answers something that is not a JSON object of at most 64 KiB
 * (with {@code extras} an object and {@code deny} a string) has failed: {@code on-failure} decides. Metrics:
 * {@code authgate_token_hook_seconds{outcome}} (ok, denied, failed).
 */
@Startup // a wrong setting stops the start
@Singleton
public class TokenHook {

    static final String ROLE = "role";
    static final int MAX_DENY_MESSAGE = 500;
    private static final Logger LOG = Logger.getLogger(TokenHook.class);

    /** What the hook is shown: the token's record (as the records API shows it) and how it was earned. */
    public record Proposal(String table, long id, Object record, Map<String, Object> extras, List<String> amr) {
    }

    private final TokenHookConfig config;
    private final SignedPost post;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final String url;
    private final byte[] key;

    public TokenHook(TokenHookConfig config, SignedPost post, ObjectMapper json, MeterRegistry registry) {
        this.config = config;
        this.post = post;
        this.json = json;
        this.registry = registry;
        if (config.url().isPresent()) {
            var webhook = Webhooks.target("authgate.hooks.token", "token", config.url().get(), List.of(),
                    config.secret().orElse(null));
            this.url = webhook.url();
            this.key = webhook.key();
        } else {
            this.url = null;
            this.key = null;
        }
    }

    public boolean on() {
        return url != null;
    }

    /** The extras the token carries: the proposal's, with the hook's merged in; a Failure when the hook denies. */
    public Map<String, Object> beforeIssue(Proposal proposal) {
        if (!on()) {
            return proposal.extras();
        }
        long start = System.nanoTime();
        String outcome = "failed";
        try {
            Map<String, Object> merged = ask(proposal);
            outcome = "ok";
            return merged;
        } catch (Failure denied) {
            outcome = "denied";
            throw denied;
        } catch (HookFailed e) {
            LOG.warnf("token hook failed: table=%s id=%d reason=%s on-failure=%s", proposal.table(), proposal.id(),
                    e.getMessage(), config.onFailure());
            if (config.onFailure() == TokenHookConfig.OnFailure.ISSUE) {
                return proposal.extras();
            }
            throw Failure.denied("The sign-in could not be completed (token hook).");
        } finally {
            Timer.builder("authgate.token.hook").description("Token hook calls by outcome").tag("outcome", outcome)
                    .register(registry).record(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private Map<String, Object> ask(Proposal p) throws HookFailed {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("table", p.table());
        body.put("id", p.id());
        body.put("record", p.record());
        body.put("extras", p.extras());
        body.put("amr", p.amr());
        SignedPost.Answer answer;
        try {
            answer = post.post(url, key, "hook_" + UUID.randomUUID(), json.writeValueAsString(body), config.timeout());
        } catch (SignedPost.Failed e) {
            throw new HookFailed(e.getMessage());
        } catch (JsonProcessingException e) {
            throw new HookFailed("proposal is not JSON");
        }
        if (!answer.ok()) {
            throw new HookFailed("status " + answer.status());
        }
        if (answer.body() == null) {
            throw new HookFailed("answer larger than 64 KiB");
        }
        JsonNode root;
        try {
            root = json.readTree(answer.body());
        } catch (JsonProcessingException e) {
            throw new HookFailed("answer is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new HookFailed("answer is not a JSON object");
        }
        JsonNode deny = root.get("deny");
        if (deny != null && !deny.isNull()) {
            if (!deny.isTextual() || deny.asText().isBlank()) {
                throw new HookFailed("deny is not a message");
            }
            String message = deny.asText().strip();
            throw Failure.denied(message.length() > MAX_DENY_MESSAGE ? message.substring(0, MAX_DENY_MESSAGE) : message);
        }
        JsonNode extras = root.get("extras");
        Map<String, Object> merged = new LinkedHashMap<>(p.extras());
        if (extras == null || extras.isNull()) {
            return merged;
        }
        if (!extras.isObject()) {
            throw new HookFailed("extras is not an object");
        }
        Map<String, Object> added = json.convertValue(extras, Webhooks.OBJECT);
        if (!config.maySetRole() && added.remove(ROLE) != null) {
            LOG.infof("token hook sent a role, dropped (may-set-role is off): table=%s id=%d", p.table(), p.id());
        }
        merged.putAll(added);
        return merged;
    }

    /** Why the hook failed: a reason, never its body. */
    private static final class HookFailed extends Exception {
        HookFailed(String reason) {
            super(reason, null, false, false);
        }
    }
}
