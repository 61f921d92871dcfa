package io.airlock.plugin.file;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.airlock.core.Airlock;
import io.airlock.core.Airlock.SchemaAction;
import io.airlock.core.Schema;
import io.airlock.core.db.Jdbc;
import io.airlock.plugin.rpm.RpmPlugin;
import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The migrations the core and the shipped plugins (file, rpm) ship give the schema Hibernate
 * validates and the engines use: applied by Airlock, by a host itself, or over a database the
 * schema update of earlier versions created.
 */
@Tag("persistence")
final class ShippedSchemaTest {

    private static final List<ContentPlugin> PLUGINS = List.of(new FilePlugin(), new RpmPlugin());

    @Test
    void aMigratedDatabasePassesValidateAndIngests() throws IOException, SQLException {
        try (TestDatabase db = TestDatabase.create()) {
            open(db, SchemaAction.MIGRATE).close();

            try (Airlock airlock = open(db, SchemaAction.VALIDATE)) {
                ingest(airlock, db, "one");
            }
            assertThat(history(db)).containsExactlyInAnyOrder("core 1", "core 2", "core 3", "core 4", "file 1", "rpm 1", "rpm 2", "rpm 3");
        }
    }

    @Test
    void aHostAppliesTheSqlItselfThenStartsWithValidateAndNone() throws IOException, SQLException {
        try (TestDatabase db = TestDatabase.create(); HikariDataSource pool = pool(db)) {
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute(Schema.sql(Jdbc.kindOf(connection), PLUGINS));
            }

            try (Airlock airlock = Airlock.builder().dataSource(pool).storage(db.path("artifacts")).plugin(PLUGINS.get(0)).plugin(PLUGINS.get(1))
                    .schema(SchemaAction.VALIDATE).build()) {
                ingest(airlock, db, "one");
            }
            try (Airlock airlock = Airlock.builder().dataSource(pool).storage(db.path("artifacts")).plugin(PLUGINS.get(0)).plugin(PLUGINS.get(1))
                    .schema(SchemaAction.NONE).build()) {
                ingest(airlock, db, "two");
            }
            assertThat(history(db)).containsExactlyInAnyOrder("core 1", "core 2", "core 3", "core 4", "file 1", "rpm 1", "rpm 2", "rpm 3");
        }
    }

    @Test
    void aDatabaseTheOldSchemaUpdateCreatedMigratesAndValidates() throws IOException, SQLException {
        try (TestDatabase db = TestDatabase.create()) {
            createTheOldWay(db);

            try (Airlock airlock = open(db, SchemaAction.MIGRATE)) {
                ingest(airlock, db, "one");
            }
            open(db, SchemaAction.VALIDATE).close();
            assertThat(history(db)).containsExactlyInAnyOrder("core 1", "core 2", "core 3", "core 4", "file 1", "rpm 1", "rpm 2", "rpm 3");
        }
    }

    /** A file add giving its new repository version 1 (the RPM tables are checked by VALIDATE; the RPM tests sync on MIGRATE). */
    private static void ingest(Airlock airlock, TestDatabase db, String name) throws IOException {
        Path files = Files.createDirectories(db.path("files-" + name));
        Files.writeString(files.resolve("a.txt"), name);
        airlock.repositories().create("files-" + name, "file", null);
        assertThat(new FileRepositories(airlock).add("files-" + name, files, ProgressListener.NONE))
                .hasValueSatisfying(v -> assertThat(v.number()).isEqualTo(1));
    }

    /**
     * The schema as Airlock before migrations left it: Hibernate's schema update of the entities
     * and the scratch tables created by hand, as the start-up of earlier versions did.
     */
    private static void createTheOldWay(TestDatabase db) throws SQLException {
        Airlock.builder().jdbcUrl(db.url()).credentials(db.user(), db.password()).storage(db.path("artifacts"))
                .discoverPlugins(false).plugin(PLUGINS.get(0)).plugin(PLUGINS.get(1)).schema(SchemaAction.NONE)
                .property("jakarta.persistence.schema-generation.database.action", "update")
                .build().close();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("create table if not exists version_draft_unit (draft_id uuid not null, op char(1) not null,"
                    + " content_id uuid not null)");
            statement.execute("create index if not exists ix_version_draft_unit on version_draft_unit (draft_id, op, content_id)");
            statement.execute("create table if not exists import_key (run_id uuid not null, kind char(1) not null,"
                    + " repo_index int not null, line bigint not null, digest varchar(64) not null, path varchar(4096), sha256 varchar(64))");
            statement.execute("alter table import_key add column if not exists label varchar(512)");
            statement.execute("alter table import_key add column if not exists own_algorithm varchar(32)");
            statement.execute("alter table import_key add column if not exists own_digest varchar(128)");
            statement.execute("create index if not exists ix_import_key on import_key (run_id, kind, repo_index, line)");
            statement.execute("create index if not exists ix_import_key_digest on import_key (run_id, kind, digest)");
            try (ResultSet tables = connection.getMetaData().getTables(connection.getCatalog(), connection.getSchema(), "%", null)) {
                List<String> names = new ArrayList<>();
                while (tables.next()) {
                    names.add(tables.getString("TABLE_NAME").toLowerCase(java.util.Locale.ROOT));
                }
                assertThat(names).contains("content", "rpm_package", "file_content").doesNotContain("airlock_schema_history");
            }
        }
    }

    private static Airlock open(TestDatabase db, SchemaAction action) {
        return Airlock.builder().jdbcUrl(db.url()).credentials(db.user(), db.password()).storage(db.path("artifacts"))
                .discoverPlugins(false).plugin(PLUGINS.get(0)).plugin(PLUGINS.get(1)).schema(action).build();
    }

    private static HikariDataSource pool(TestDatabase db) {
        HikariConfig config = new HikariConfig();
        // Through Airlock's H2 file system, as TestDatabase.connect opens it: H2 in one JVM shares an
        // open database only with URLs naming the same path.
        config.setJdbcUrl(db.url()); // on H2 already the file system Airlock opens H2 with (TestDatabase)
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
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
}
