package io.airlock.core.db;

import io.airlock.spi.AirlockException;
import io.airlock.spi.DatabaseKind;
import io.airlock.spi.Cancellation;
import io.airlock.spi.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
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
     * On PostgreSQL, sets the planner setting {@code setting} to {@code value} for the rest of the
     * connection's current transaction ({@code set_config(…, true)}, as {@code SET LOCAL}: a host's
     * pooled connection is left as it was) and returns its value before, for {@link #restoreLocal};
     * on H2, which has no such settings, does nothing and returns null.
     */
    public static String setLocal(Connection connection, String setting, String value) throws SQLException {
        if (kindOf(connection) != DatabaseKind.POSTGRESQL) {
            return null;
        }
        String before;
        try (PreparedStatement show = connection.prepareStatement("select current_setting(?)")) {
            show.setString(1, setting);
            try (ResultSet rows = show.executeQuery()) {
                rows.next();
                before = rows.getString(1);
            }
        }
        configure(connection, setting, value);
        return before;
    }

    /**
     * Runs {@code work} on the session with sequential scans off on PostgreSQL (nothing changes on
     * H2), for statements that look up a batch of rows by primary or unique key: probing the index
     * is right for them at any table size, while the planner picks sequential scans and hash joins
     * when statistics are missing or stale (rows of the running transaction, or a large sync
     * committed moments ago that autovacuum has not analyzed yet) or when it keeps a generic plan
     * made on a smaller table (docs/performance.md, "PostgreSQL import content phase").
     */
    public static <R> R preferringIndexes(org.hibernate.Session session, java.util.function.Supplier<R> work) {
        String before = session.doReturningWork(connection -> setLocal(connection, "enable_seqscan", "off"));
        R result = work.get();
        // Not in a finally: a failed statement has aborted the PostgreSQL transaction, whose settings end with it.
        session.doWork(connection -> restoreLocal(connection, "enable_seqscan", before));
        return result;
    }

    /** Work on a connection, for {@link #preferringIndexes(Connection, SqlWork)}. */
    @FunctionalInterface
    public interface SqlWork<R> {
        R run() throws SQLException;
    }

    /** {@link #preferringIndexes(org.hibernate.Session, java.util.function.Supplier)} for work on a plain connection. */
    public static <R> R preferringIndexes(Connection connection, SqlWork<R> work) throws SQLException {
        String before = setLocal(connection, "enable_seqscan", "off");
        R result = work.run();
        // Not in a finally: a failed statement has aborted the PostgreSQL transaction, whose settings end with it.
        restoreLocal(connection, "enable_seqscan", before);
        return result;
    }

    /** Gives {@code setting} back the value {@link #setLocal} returned (nothing when that was null: H2). */
    public static void restoreLocal(Connection connection, String setting, String before) throws SQLException {
        if (before != null) {
            configure(connection, setting, before);
        }
    }

    private static void configure(Connection connection, String setting, String value) throws SQLException {
        try (PreparedStatement set = connection.prepareStatement("select set_config(?, ?, true)")) {
            set.setString(1, setting);
            set.setString(2, value);
            set.executeQuery().close();
        }
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

    /** How long one attempt of {@link #lockRow} waits before it checks for cancellation and waits again. */
    static final Duration LOCK_SLICE = Duration.ofMillis(250);

    /**
     * Takes a row lock with {@code lockingSelect} (a {@code select … for update} of one row, bound
     * to {@code parameters}), waiting at most {@code timeout} for a concurrent writer, in slices of
     * {@link #LOCK_SLICE} between which the thread is checked for cancellation: a database
     * statement cannot be interrupted, and a waiting writer must still end soon after its task is
     * cancelled. Each slice runs under a savepoint, so a slice that times out leaves the
     * transaction usable (PostgreSQL aborts a transaction whose statement fails). Afterwards the
     * transaction's lock waits are bounded by {@code timeout} again. Throws the last slice's lock
     * timeout when {@code timeout} has passed, a deadlock at once, and {@code CANCELLED} (naming
     * {@code what}) when the thread was interrupted.
     */
    public static void lockRow(Connection connection, String lockingSelect, Duration timeout, String what, Object... parameters)
            throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                Cancellation.check(what);
                long remaining = deadline - System.nanoTime();
                Duration slice = Duration.ofNanos(Math.max(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(1),
                        Math.min(LOCK_SLICE.toNanos(), remaining)));
                boundLockWaits(connection, slice);
                Savepoint savepoint = connection.setSavepoint();
                long started = System.nanoTime();
                try (PreparedStatement lock = connection.prepareStatement(lockingSelect)) {
                    for (int i = 0; i < parameters.length; i++) {
                        lock.setObject(i + 1, parameters[i]);
                    }
                    try (ResultSet rows = lock.executeQuery()) {
                        rows.next();
                    }
                    connection.releaseSavepoint(savepoint);
                    return;
                } catch (SQLException e) {
                    if (!isLockTimeout(e)) {
                        throw e; // a deadlock, or no lock matter at all
                    }
                    connection.rollback(savepoint);
                    if (System.nanoTime() - started < slice.toNanos() / 2) {
                        // H2 ends a lock wait at once when its thread is interrupted, and clears the
                        // thread's interrupt status: a wait cut short is a cancellation.
                        throw Cancellation.cancelled(what, e);
                    }
                    if (System.nanoTime() >= deadline) {
                        throw e;
                    }
                }
            }
        } finally {
            Cancellation.runUninterrupted(() -> {
                try {
                    boundLockWaits(connection, timeout);
                } catch (SQLException e) {
                    // Only after a failure that aborted the transaction (PostgreSQL), which is rolled back.
                }
            });
        }
    }

    /** Whether a failure (or any of its causes) is a lock timeout: PostgreSQL {@code 55P03}, H2 {@code HYT00}. */
    static boolean isLockTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException e = sql; e != null; e = e.getNextException()) {
                    if ("55P03".equals(e.getSQLState()) || "HYT00".equals(e.getSQLState())) {
                        return true;
                    }
                }
            }
        }
        return false;
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
