package io.airlock.core;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.service.UnknownUnwrapTypeException;
import org.hibernate.service.spi.Stoppable;

/**
 * The connections of an installation opened by JDBC URL: at most {@code size} open at once, idle ones
 * kept for reuse (and checked before reuse once they have been idle a while), a caller waits up to
 * {@code timeout} for one to come free and then fails with a clear message. Airlock's own so that
 * the URL path does not run on Hibernate's built-in pool, which warns at every start that it is not
 * meant for production; a host with its own pool passes it with {@link Airlock.Builder#dataSource}.
 */
final class ConnectionPool implements ConnectionProvider, Stoppable {

    private static final long CHECK_AFTER_IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int VALID_TIMEOUT_SECONDS = 5;

    private record Idle(Connection connection, long since) {
    }

    private final String url;
    private final Properties credentials = new Properties();
    private final int size;
    private final Duration timeout;
    private final Semaphore permits;
    private final Deque<Idle> idle = new ArrayDeque<>(); // guarded by this
    private boolean stopped; // guarded by this

    ConnectionPool(String url, String user, String password, int size, Duration timeout) {
        this.url = url;
        this.credentials.setProperty("user", user);
        this.credentials.setProperty("password", password);
        this.size = size;
        this.timeout = timeout;
        this.permits = new Semaphore(size, true);
    }

    @Override
    public Connection getConnection() throws SQLException {
        try {
            if (!permits.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new SQLTransientConnectionException("no database connection came free within " + timeout.toSeconds()
                        + " s (all " + size + " in use)", "08001");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted while waiting for a database connection", "08001", e);
        }
        return openPermitted();
    }

    /** An idle connection or a new one, for a caller holding a permit (released if this fails). */
    private Connection openPermitted() throws SQLException {
        try {
            while (true) {
                Idle reused = takeIdle();
                if (reused == null) {
                    return DriverManager.getConnection(url, credentials);
                }
                if (System.nanoTime() - reused.since() < CHECK_AFTER_IDLE_NANOS || reused.connection().isValid(VALID_TIMEOUT_SECONDS)) {
                    return reused.connection();
                }
                closeQuietly(reused.connection()); // dropped by the server meanwhile: open another
            }
        } catch (SQLException | RuntimeException | Error e) {
            permits.release();
            throw e;
        }
    }

    /**
     * A connection if one is free now, else null (never waits): for the second connection of an
     * operation that holds one already, which must not wait on a pool its like may have exhausted.
     */
    Connection tryGetConnection() throws SQLException {
        return permits.tryAcquire() ? openPermitted() : null;
    }

    private synchronized Idle takeIdle() {
        if (stopped) {
            throw new IllegalStateException("the installation is closed");
        }
        return idle.pollFirst();
    }

    @Override
    public void closeConnection(Connection connection) {
        try {
            if (connection.isClosed()) {
                return;
            }
            if (!connection.getAutoCommit()) {
                connection.rollback(); // nothing half-done reaches the next user
                connection.setAutoCommit(true);
            }
            synchronized (this) {
                if (!stopped) {
                    idle.addFirst(new Idle(connection, System.nanoTime()));
                    return;
                }
            }
            connection.close();
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection); // broken: not reused
        } finally {
            permits.release();
        }
    }

    @Override
    public void stop() {
        synchronized (this) {
            stopped = true;
        }
        Idle next;
        while ((next = pollIdle()) != null) {
            closeQuietly(next.connection());
        }
    }

    private synchronized Idle pollIdle() {
        return idle.pollFirst();
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException | RuntimeException ignored) {
            // already broken; nothing more to release
        }
    }

    @Override
    public boolean supportsAggressiveRelease() {
        return false;
    }

    @Override
    public boolean isUnwrappableAs(Class<?> type) {
        return type.isInstance(this);
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new UnknownUnwrapTypeException(type);
    }
}
