package dev.authgate.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition, never for a length of time: polls until it holds and fails after a generous ceiling, so that
 * a busy CI machine makes a test slower, not red.
 */
public final class Wait {

    /** Far above what a quiet machine needs: reaching it means the condition is not coming. */
    public static final Duration CEILING = Duration.ofSeconds(60);

    private Wait() {
    }

    public static void until(String what, BooleanSupplier condition) {
        until(CEILING, what, condition);
    }

    public static void until(Duration ceiling, String what, BooleanSupplier condition) {
        long end = System.nanoTime() + ceiling.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("not within " + ceiling.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
