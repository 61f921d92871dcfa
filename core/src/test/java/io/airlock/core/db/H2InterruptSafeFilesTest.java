package io.airlock.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * H2 on the {@code airlock-retry:} file system: a thread that reads and commits while interrupted
 * neither closes the database for the others nor loses its interrupt status. (On H2's default file
 * system the first read fails with {@code ClosedByInterruptException} and the database stays
 * broken for every connection until it is reopened.)
 */
final class H2InterruptSafeFilesTest {

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void anInterruptedThreadReadsAndCommitsAndKeepsItsInterrupt() throws SQLException {
        try (TestDatabase db = TestDatabase.create()) {
            // A small cache, so that the reads below go to the file.
            String url = H2InterruptSafeFiles.wrap("jdbc:h2:file:" + db.path("h2/db") + ";CACHE_SIZE=256");
            try (Connection setup = DriverManager.getConnection(url, "sa", ""); Statement sql = setup.createStatement()) {
                sql.execute("create table t (id int primary key, v varchar(200))");
                try (PreparedStatement insert = setup.prepareStatement("insert into t values (?, ?)")) {
                    for (int i = 0; i < 30_000; i++) {
                        insert.setInt(1, i);
                        insert.setString(2, "x".repeat(150) + i);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
            try (Connection connection = DriverManager.getConnection(url, "sa", "");
                    Connection other = DriverManager.getConnection(url, "sa", "")) {
                connection.setAutoCommit(false);
                Thread.currentThread().interrupt();

                assertThat(count(connection, "select count(*) from t where v like '%9'")).isEqualTo(3_000);
                try (Statement update = connection.createStatement()) {
                    update.executeUpdate("update t set v = 'y' where id < 100");
                }
                connection.commit();
                assertThat(Thread.currentThread().isInterrupted()).as("interrupt status after the reads and commit").isTrue();

                Thread.interrupted();
                assertThat(count(other, "select count(*) from t where v = 'y'")).isEqualTo(100);
            }
        }
    }

    @Test
    void onlyFileUrlsArePutOnTheFileSystem() {
        assertThat(H2InterruptSafeFiles.wrap("jdbc:h2:file:/var/db;LOCK_TIMEOUT=5")).isEqualTo("jdbc:h2:airlock-retry:/var/db;LOCK_TIMEOUT=5");
        assertThat(H2InterruptSafeFiles.wrap("jdbc:h2:/var/db")).isEqualTo("jdbc:h2:airlock-retry:/var/db");
        assertThat(H2InterruptSafeFiles.wrap("jdbc:h2:mem:x")).isEqualTo("jdbc:h2:mem:x");
        assertThat(H2InterruptSafeFiles.wrap("jdbc:h2:tcp://host/db")).isEqualTo("jdbc:h2:tcp://host/db");
        assertThat(H2InterruptSafeFiles.wrap("jdbc:h2:nio:/var/db")).isEqualTo("jdbc:h2:nio:/var/db");
        assertThat(H2InterruptSafeFiles.wrap("jdbc:postgresql://h/db")).isEqualTo("jdbc:postgresql://h/db");
    }

    private static long count(Connection connection, String query) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
