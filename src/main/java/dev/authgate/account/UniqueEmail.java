package dev.authgate.account;

import java.sql.SQLException;
import java.util.function.Supplier;

import dev.authgate.failure.Failure;

/** Turns the unique constraint on email into {@link Failure#emailTaken()}: the database decides who wins a race. */
public final class UniqueEmail {

    private static final String UNIQUE_VIOLATION = "23505";

    private UniqueEmail() {
    }

    public static <T> T guard(Supplier<T> work) {
        return guard(work, () -> {
        });
    }

    /** As {@link #guard(Supplier)}, running {@code onTaken} (e.g. a metric) when the email is taken. */
    public static <T> T guard(Supplier<T> work, Runnable onTaken) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            if (isUniqueViolation(e)) {
                onTaken.run();
                throw Failure.emailTaken();
            }
            throw e;
        }
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
