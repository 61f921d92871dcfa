package io.airlock.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlock.core.Airlock.SchemaAction;
import io.airlock.core.db.Jdbc;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ErrorCode;
import io.airlock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The schema as versioned migrations: MIGRATE, VALIDATE, NONE and the SQL a host applies itself. */
@Tag("persistence")
final class SchemaTest {

    @Test
    void aFreshDatabaseMigratedStartsWithValidate() throws SQLException {
        try (TestDatabase db = TestDatabase.create()) {
            open(db, SchemaAction.MIGRATE, new MigratedWidgetPlugin()).close();

            try (Airlock airlock = open(db, SchemaAction.VALIDATE, new MigratedWidgetPlugin())) {
                assertThat(TestInstallations.save(airlock, new Widget("w", 1))).hasSize(1);
            }
            assertThat(history(db)).containsExactlyInAnyOrder("core 1", "core 2", "core 3", "core 4", "test 1");
        }
    }

    @Test
    void validateOnAnEmptySchemaNamesWhatIsMissing() {
        try (TestDatabase db = TestDatabase.create()) {
            assertThatThrownBy(() -> open(db, SchemaAction.VALIDATE, new MigratedWidgetPlugin()))
                    .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_FAILURE))
                    .hasMessageStartingWith("schema is missing table ")
                    .hasMessageContaining("table version_draft_unit (core migration 1 not applied)")
                    .hasMessageContaining("table test_widget (test migration 1 not applied)")
                    .hasMessageContaining("lacks core migration 1 (core tables and scratch tables), core migration 2 (repository retention, export history),"
                            + " core migration 3 (remote locations of on-demand files), core migration 4 (scratch runs),"
                            + " test migration 1 (widget table)");
        }
    }

    @Test
    void validateNamesTheTablesOfAPluginWithoutMigrations() {
        try (TestDatabase db = TestDatabase.create()) {
            open(db, SchemaAction.MIGRATE).close();

            assertThatThrownBy(() -> open(db, SchemaAction.VALIDATE, new WidgetPlugin()))
                    .isInstanceOf(AirlockException.class)
                    .hasMessage("schema is missing table test_widget (plugin test ships no migrations: create its tables yourself)"
                            + " (apply the output of 'airlock schema sql' or start with SchemaAction.MIGRATE)");
        }
    }

    @Test
    void aPluginWithoutMigrationsGetsItsTablesWithMigrate() throws SQLException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = open(db, SchemaAction.MIGRATE, new WidgetPlugin())) {
            assertThat(TestInstallations.save(airlock, new Widget("w", 1))).hasSize(1);
            assertThat(history(db)).containsExactly("core 1", "core 2", "core 3", "core 4");
        }
    }

    @Test
    void aChangedChecksumOfAnAppliedMigrationIsRefused() throws SQLException {
        try (TestDatabase db = TestDatabase.create()) {
            open(db, SchemaAction.MIGRATE).close();
            execute(db, "update airlock_schema_history set checksum = '" + "0".repeat(64) + "' where module = 'core'");

            assertThatThrownBy(() -> open(db, SchemaAction.MIGRATE))
                    .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_FAILURE))
                    .hasMessageStartingWith("core migration 1 (core tables and scratch tables) was applied with checksum " + "0".repeat(64))
                    .hasMessageContaining("an applied migration must not change");
        }
    }

    @Test
    void twoInstallationsMigratingOneFreshDatabaseAtOnceApplyEachMigrationOnce() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            CyclicBarrier start = new CyclicBarrier(2);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                List<Future<Airlock>> started = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    started.add(threads.submit(() -> {
                        start.await();
                        return open(db, SchemaAction.MIGRATE, new MigratedWidgetPlugin());
                    }));
                }
                for (Future<Airlock> airlock : started) {
                    airlock.get().close();
                }
            } finally {
                threads.shutdownNow();
            }
            assertThat(history(db)).containsExactlyInAnyOrder("core 1", "core 2", "core 3", "core 4", "test 1");
        }
    }

    @Test
    void theSqlAHostAppliesItselfPassesValidateAndMigrateAddsNothing() throws SQLException {
        try (TestDatabase db = TestDatabase.create()) {
            String sql;
            try (Connection connection = db.connect()) {
                sql = Schema.sql(Jdbc.kindOf(connection), List.of(new MigratedWidgetPlugin()));
                try (Statement statement = connection.createStatement()) {
                    statement.execute(sql);
                }
            }
            try (Airlock airlock = open(db, SchemaAction.VALIDATE, new MigratedWidgetPlugin())) {
                assertThat(TestInstallations.save(airlock, new Widget("w", 1))).hasSize(1);
            }
            try (Airlock airlock = open(db, SchemaAction.NONE, new MigratedWidgetPlugin())) {
                assertThat(TestInstallations.save(airlock, new Widget("w", 2))).hasSize(1);
            }
            open(db, SchemaAction.MIGRATE, new MigratedWidgetPlugin()).close();

            assertThat(sql).contains("-- core migration 1: core tables and scratch tables", "-- test migration 1: widget table",
                    "create table if not exists version_draft_unit", "create table if not exists import_key");
            assertThat(history(db)).containsExactlyInAnyOrder("core 1", "core 2", "core 3", "core 4", "test 1");
        }
    }

    @Test
    void migrationsAppliedOneByOneAfterTheHistoryTableAreRecorded() throws SQLException {
        try (TestDatabase db = TestDatabase.create()) {
            List<Schema.MigrationSql> migrations;
            try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
                migrations = Schema.migrations(Jdbc.kindOf(connection), List.of(new MigratedWidgetPlugin()));
                statement.execute(Schema.historyTableSql());
                for (Schema.MigrationSql migration : migrations) {
                    statement.execute(migration.sql());
                }
            }

            assertThat(migrations).extracting(m -> m.module() + " " + m.version()).containsExactly("core 1", "core 2", "core 3", "core 4", "test 1");
            assertThat(history(db)).containsExactlyInAnyOrder("core 1", "core 2", "core 3", "core 4", "test 1");
            open(db, SchemaAction.VALIDATE, new MigratedWidgetPlugin()).close();
        }
    }

    @Test
    void statusListsAppliedAndAvailableVersionsPerModule() throws SQLException {
        try (TestDatabase db = TestDatabase.create()) {
            open(db, SchemaAction.MIGRATE).close();

            try (Connection connection = db.connect()) {
                assertThat(Schema.status(connection, List.of(new MigratedWidgetPlugin()))).containsExactly(
                        new Schema.ModuleStatus("core", List.of(1, 2, 3, 4), List.of(1, 2, 3, 4)),
                        new Schema.ModuleStatus("test", List.of(), List.of(1)));
            }
        }
    }

    private static Airlock open(TestDatabase db, SchemaAction action, ContentPlugin... plugins) {
        Airlock.Builder builder = Airlock.builder().jdbcUrl(db.url()).credentials(db.user(), db.password())
                .storage(db.path("artifacts")).discoverPlugins(false).schema(action);
        for (ContentPlugin plugin : plugins) {
            builder.plugin(plugin);
        }
        return builder.build();
    }

    private static List<String> history(TestDatabase db) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("select module, version from airlock_schema_history")) {
            while (result.next()) {
                rows.add(result.getString(1) + " " + result.getInt(2));
            }
        }
        return rows;
    }

    private static void execute(TestDatabase db, String sql) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
