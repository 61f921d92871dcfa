package io.airlock.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class ConnectionPoolTest {

    @Test
    void aReturnedConnectionIsReused() throws SQLException {
        try (TestDatabase db = TestDatabase.create()) {
            ConnectionPool pool = pool(db, 2, Duration.ofSeconds(1));
            try {
                Connection first = pool.getConnection();
                pool.closeConnection(first);

                Connection second = pool.getConnection();

                assertThat(second).isSameAs(first);
                assertThat(second.isClosed()).isFalse();
                pool.closeConnection(second);
            } finally {
                pool.stop();
            }
        }
    }

    @Test
    void aCallerWaitsForAFreeConnectionAndThenGivesUpWithAClearMessage() throws SQLException {
        try (TestDatabase db = TestDatabase.create()) {
            ConnectionPool pool = pool(db, 1, Duration.ofSeconds(1));
            try {
                Connection held = pool.getConnection();
                long start = System.nanoTime();

                assertThatThrownBy(pool::getConnection)
                        .isInstanceOf(SQLTransientConnectionException.class)
                        .hasMessage("no database connection came free within 1 s (all 1 in use)");

                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
                pool.closeConnection(held);
                pool.closeConnection(pool.getConnection()); // the permit came back with the connection
            } finally {
                pool.stop();
            }
        }
    }

    @Test
    void aConnectionReturnedInsideATransactionIsRolledBackFirst() throws SQLException {
        try (TestDatabase db = TestDatabase.create()) {
            ConnectionPool pool = pool(db, 1, Duration.ofSeconds(1));
            try {
                Connection connection = pool.getConnection();
                try (Statement statement = connection.createStatement()) {
                    statement.execute("create table pool_probe (n int)");
                }
                connection.setAutoCommit(false);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("insert into pool_probe values (1)");
                }
                pool.closeConnection(connection);

                Connection next = pool.getConnection();

                assertThat(next.getAutoCommit()).isTrue();
                try (Statement statement = next.createStatement(); ResultSet rows = statement.executeQuery("select count(*) from pool_probe")) {
                    rows.next();
                    assertThat(rows.getLong(1)).isZero();
                }
                pool.closeConnection(next);
            } finally {
                pool.stop();
            }
        }
    }

    @Test
    void stoppingClosesIdleConnectionsAndConnectionsReturnedLater() throws SQLException {
        try (TestDatabase db = TestDatabase.create()) {
            ConnectionPool pool = pool(db, 2, Duration.ofSeconds(1));
            Connection idle = pool.getConnection();
            Connection inUse = pool.getConnection();
            pool.closeConnection(idle);

            pool.stop();
            pool.closeConnection(inUse);

            assertThat(idle.isClosed()).isTrue();
            assertThat(inUse.isClosed()).isTrue();
        }
    }

    @Test
    void anInstallationByUrlRunsOnThisPoolNotOnHibernatesBuiltInOne() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            ConnectionProvider provider = airlock.sessionFactory().getSessionFactoryOptions().getServiceRegistry()
                    .requireService(ConnectionProvider.class);

            assertThat(provider).isInstanceOf(ConnectionPool.class);
        }
    }

    private static ConnectionPool pool(TestDatabase db, int size, Duration timeout) {
        return new ConnectionPool(db.url(), db.user(), db.password(), size, timeout);
    }
}
