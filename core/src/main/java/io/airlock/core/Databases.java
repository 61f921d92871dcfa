package io.airlock.core;

import io.airlock.core.db.Jdbc;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Cancellation;
import io.airlock.spi.ErrorCode;
import java.sql.SQLException;
import java.time.Duration;

/** Turns persistence failures into one-line {@link AirlockException}s. */
final class Databases {

    private Databases() {
    }

    static RuntimeException translate(Throwable failure, Duration lockTimeout) {
        if (failure instanceof AirlockException airlock) {
            return airlock;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        if (Cancellation.isCancellation(failure)) {
            return Cancellation.translate(failure, "database work");
        }
        AirlockException busy = Jdbc.busy(failure, "the database", lockTimeout);
        if (busy != null) {
            return busy;
        }
        if (failure instanceof org.hibernate.exception.ConstraintViolationException
                || failure instanceof jakarta.persistence.PersistenceException
                || failure instanceof org.hibernate.HibernateException
                || failure instanceof SQLException) {
            return new AirlockException(ErrorCode.DATABASE_FAILURE, "database error: " + rootMessage(failure), failure);
        }
        return (RuntimeException) failure;
    }

    static AirlockException startupFailure(String where, RuntimeException failure) {
        if (failure instanceof AirlockException airlock) {
            return airlock;
        }
        return new AirlockException(ErrorCode.DATABASE_FAILURE, "cannot open database " + where + ": " + rootMessage(failure), failure);
    }

    /** The message of the deepest cause, on one line. */
    static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
            if (root instanceof SQLException) {
                break;
            }
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
