package io.airlock.core.db;

import io.airlock.spi.AirlockException;
import io.airlock.spi.DatabaseKind;
import io.airlock.spi.ErrorCode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * What differs between the supported databases (H2 and PostgreSQL) where Airlock writes concurrently:
 * bounding lock waits and recognising failures a retry can cure.
 */
public final class Jdbc {

    /**
     * SQL states of failures that leave nothing changed and may pass when tried again: lock timeout
     * (PostgreSQL {@code 55P03}, H2 {@code HYT00}), serialization failure and H2 deadlock
     * ({@code 40001}), PostgreSQL deadlock ({@code 40P01}), H2 concurrent update of one row
     * ({@code 90131}).
     */
    private static final Set<String> BUSY_STATES = Set.of("55P03", "40001", "40P01", "HYT00", "90131");

    private Jdbc() {
    }

    /** The kind of database a connection leads to; {@code DATABASE_FAILURE} for one Airlock does not run on. */
    public static DatabaseKind kindOf(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("postgres")) {
            return DatabaseKind.POSTGRESQL;
        }
        if (product.startsWith("h2")) {
            return DatabaseKind.H2;
        }
        throw new AirlockException(ErrorCode.DATABASE_FAILURE, "unsupported database '"
                + connection.getMetaData().getDatabaseProductName() + "' (Airlock runs on H2 and PostgreSQL)");
    }

    /**
     * Bounds every lock wait of the connection's current transaction: on PostgreSQL with
     * {@code SET LOCAL lock_timeout} (for this transaction only, so a host's pooled connection is
     * left as it was), on H2 with its per-session {@code SET LOCK_TIMEOUT}.
     */
    public static void boundLockWaits(Connection connection, Duration timeout) throws SQLException {
        long millis = Math.max(1, timeout.toMillis());
        try (Statement statement = connection.createStatement()) {
            statement.execute(kindOf(connection) == DatabaseKind.POSTGRESQL
                    ? "set local lock_timeout = " + millis
                    : "set lock_timeout " + millis);
        }
    }

    /**
     * Whether a failure (or any of its causes) is a lock timeout, deadlock or serialization
     * failure: the database gave up waiting for a concurrent writer, and a retry may pass.
     */
    public static boolean isBusy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException e = sql; e != null; e = e.getNextException()) {
                    if (e.getSQLState() != null && BUSY_STATES.contains(e.getSQLState())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Whether a failure (or any of its causes) is a unique-key violation (SQL state {@code 23505}). */
    public static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException e = sql; e != null; e = e.getNextException()) {
                    if ("23505".equals(e.getSQLState())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * {@code failure} as a {@link ErrorCode#BUSY} exception saying what was busy, or null when it is
     * not a busy failure.
     */
    public static AirlockException busy(Throwable failure, String what, Duration lockTimeout) {
        if (failure instanceof AirlockException airlock) {
            return airlock.code() == ErrorCode.BUSY ? airlock : null;
        }
        if (!isBusy(failure)) {
            return null;
        }
        return new AirlockException(ErrorCode.BUSY, what + " is busy: a concurrent operation held a lock for longer than "
                + seconds(lockTimeout) + " or the database resolved a deadlock; nothing was changed, retry later", failure);
    }

    /** A duration as people read it: {@code 60 s}, {@code 1.5 s}. */
    public static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
