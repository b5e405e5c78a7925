package dev.authgate.events;

import java.time.Duration;

/**
 * Posts a JSON body signed as Standard Webhooks says ({@code webhook-id}, {@code webhook-timestamp},
 * {@code webhook-signature}, see {@link Signature}) and waits at most the timeout for the whole answer: the webhooks'
 * deliverer and the token hook both post this way. Blocking: call it from a worker thread. The edge implements it
 * (http/SignedPoster).
 */
public interface SignedPost {

    /** An answer's body is read up to this size; a longer one is a failure (the token hook's limit). */
    int MAX_ANSWER = 64 * 1024;

    /** The receiver's status and body (null when longer than {@link #MAX_ANSWER}). */
    record Answer(int status, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** No answer in time or no connection: the reason, never a body or secret. */
    final class Failed extends Exception {
        public Failed(String reason) {
            super(reason, null, false, false);
        }
    }

    Answer post(String url, byte[] key, String id, String body, Duration timeout) throws Failed;
}
