package io.airlock.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An installation on an H2 file that this process grew a lot is compacted when it closes (H2 keeps
 * rewritten pages in its file, and its own compaction at close stops after 200 ms); a database
 * still open elsewhere in the process is never shut down under it.
 */
final class H2CompactionOnCloseTest {

    @TempDir
    Path home;

    @Test
    void aDatabaseGrownByFarMoreThanItsLiveDataShrinksOnCloseAndOpensAgain() throws Exception {
        Path file = home.resolve("db").resolve("airlock.mv.db");
        long grown;
        try (Airlock airlock = open()) {
            churn(airlock, 48);
            grown = Files.size(file);
        }

        assertThat(grown).isGreaterThan(48L << 20);
        assertThat(Files.size(file)).isLessThan(grown / 4);
        try (Airlock airlock = open()) {
            assertThat(airlock.repositories().list()).isEmpty();
            airlock.repositories().create("after", "test", null);
            assertThat(airlock.repositories().list()).hasSize(1);
        }
    }

    @Test
    void aDatabaseOpenElsewhereInTheProcessIsLeftOpen() throws Exception {
        Path file = home.resolve("db").resolve("airlock.mv.db");
        try (Airlock other = open()) {
            other.repositories().create("kept", "test", null);
            long grown;
            try (Airlock airlock = open()) {
                churn(airlock, 48);
                grown = Files.size(file);
            }

            assertThat(Files.size(file)).isGreaterThan(grown / 2);
            assertThat(other.repositories().list()).extracting(r -> r.name()).containsExactly("kept");
        }
    }

    /**
     * The installation on an H2 file whose own compaction at close is off (MAX_COMPACT_TIME=0), so
     * that what shrinks the file is Airlock's; H2's gives up after 200 ms, far from enough for the
     * gigabytes a large import leaves, and these tests write only tens of megabytes.
     */
    private Airlock open() {
        return Airlock.builder().jdbcUrl("jdbc:h2:file:" + home.resolve("db").resolve("airlock") + ";MAX_COMPACT_TIME=0")
                .storage(home.resolve("artifacts")).discoverPlugins(false).plugin(new WidgetPlugin()).build();
    }

    /** Writes about {@code mebibytes} MiB of rows in a scratch table, then drops them: pages rewritten, little live data. */
    private static void churn(Airlock airlock, int mebibytes) {
        airlock.inTransaction(session -> {
            session.doWork(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("create table if not exists churn (id int primary key, payload varchar(2000))");
                }
                String payload = "x".repeat(1000);
                try (PreparedStatement insert = connection.prepareStatement("insert into churn values (?, ?)")) {
                    for (int i = 0; i < mebibytes * 1024; i++) {
                        insert.setInt(1, i);
                        insert.setString(2, payload + i);
                        insert.addBatch();
                        if (i % 1000 == 999) {
                            insert.executeBatch();
                        }
                    }
                    insert.executeBatch();
                }
            });
            return null;
        });
        airlock.inTransaction(session -> {
            session.doWork(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("drop table churn");
                }
            });
            return null;
        });
    }
}
