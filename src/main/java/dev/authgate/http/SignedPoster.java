package dev.authgate.http;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import dev.authgate.events.Signature;
import dev.authgate.events.SignedPost;

/** {@link SignedPost} with the Vert.x web client: outgoing HTTP is the edge's business too. */
@Singleton
public class SignedPoster implements SignedPost {

    private final WebClient client;

    public SignedPoster(Vertx vertx) {
        this.client = WebClient.create(vertx, new WebClientOptions().setMaxPoolSize(32).setKeepAlive(true)
                .setFollowRedirects(false).setUserAgent("Authgate-Webhooks"));
    }

    @Override
    public Answer post(String url, byte[] key, String id, String body, Duration timeout) throws Failed {
        long ts = Instant.now().getEpochSecond();
        var request = client.postAbs(url).timeout(timeout.toMillis())
                .putHeader("content-type", "application/json")
                .putHeader("webhook-id", id)
                .putHeader("webhook-timestamp", Long.toString(ts))
                .putHeader("webhook-signature", Signature.sign(key, id, ts, body));
        try {
            var response = request.sendBuffer(Buffer.buffer(body)).toCompletionStage().toCompletableFuture()
                    .get(timeout.toMillis() + 100, TimeUnit.MILLISECONDS);
            Buffer answer = response.body();
            if (answer != null && answer.length() > MAX_ANSWER) {
                return new Answer(response.statusCode(), null);
            }
            return new Answer(response.statusCode(), answer == null ? "" : answer.toString());
        } catch (TimeoutException e) {
            throw new Failed("timeout");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new Failed(cause instanceof java.util.concurrent.TimeoutException
                    || cause.getClass().getSimpleName().contains("Timeout") ? "timeout" : cause.getClass().getName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed("interrupted");
        }
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
