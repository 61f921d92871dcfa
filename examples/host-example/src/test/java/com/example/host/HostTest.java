package com.example.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.airlock.core.Airlock;
import io.airlock.core.Airlock.SchemaAction;
import io.airlock.core.export.ExportEngine;
import io.airlock.core.export.ExportRequest;
import io.airlock.core.imports.ArchiveVerifier;
import io.airlock.core.repository.VersionRef;
import io.airlock.plugin.file.FilePlugin;
import io.airlock.plugin.file.FileRepositories;
import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host built from Airlock's published artifacts alone: its own pool, the schema applied by its own
 * tooling, Airlock started with VALIDATE on it, then an ingest and an export.
 */
final class HostTest {

    @TempDir
    Path temp;

    /** On PostgreSQL when AIRLOCK_TEST_JDBC_URL names a server (in a schema of its own), on H2 otherwise. */
    @Test
    void aHostStartsAirlockOnTheSchemaItAppliedItself() throws Exception {
        String url = System.getenv("AIRLOCK_TEST_JDBC_URL");
        if (url == null || url.isBlank()) {
            try (HikariDataSource pool = pool("jdbc:h2:file:" + temp.resolve("db/host"), "sa", null)) {
                runHost(pool);
            }
            return;
        }
        String user = System.getenv().getOrDefault("AIRLOCK_TEST_JDBC_USER", "postgres");
        String schema = "host_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = java.sql.DriverManager.getConnection(url, user, "");
                Statement statement = admin.createStatement()) {
            statement.execute("create schema " + schema);
        }
        try (HikariDataSource pool = pool(url, user, schema)) {
            runHost(pool);
        } finally {
            try (Connection admin = java.sql.DriverManager.getConnection(url, user, "");
                    Statement statement = admin.createStatement()) {
                statement.execute("drop schema " + schema + " cascade");
            }
        }
    }

    private void runHost(HikariDataSource pool) throws Exception {
        List<ContentPlugin> plugins = List.of(new FilePlugin());
        assertThat(HostSchema.apply(pool, plugins)).as("the host applied the schema").isTrue();

        Path files = Files.createDirectories(temp.resolve("files"));
        Files.writeString(files.resolve("README.txt"), "hello from the host");
        Path exports = temp.resolve("exports");
        try (Airlock airlock = Airlock.builder().dataSource(pool).storage(temp.resolve("artifacts"))
                .discoverPlugins(false).plugin(plugins.get(0)).schema(SchemaAction.VALIDATE).build()) {
            airlock.repositories().create("docs", "file", null);
            new FileRepositories(airlock).add("docs", files, ProgressListener.NONE);
            Path toc = new ExportEngine(airlock).export(ExportRequest.full(List.of(VersionRef.latest("docs")), exports)
                    .withName("docs"), ProgressListener.NONE).toc().orElseThrow();

            assertThat(airlock.repositories().version(VersionRef.latest("docs")).contentCount()).isEqualTo(1);
            assertThat(new ArchiveVerifier(airlock.plugins()).verify(toc, ProgressListener.NONE).manifest().repositories()).hasSize(1);
        }
        assertThat(HostSchema.apply(pool, plugins)).as("applied once").isFalse();
        try (Airlock again = Airlock.builder().dataSource(pool).storage(temp.resolve("artifacts"))
                .discoverPlugins(false).plugin(plugins.get(0)).schema(SchemaAction.NONE).build()) {
            assertThat(again.repositories().versions("docs")).hasSize(2);
        }
    }

    private static HikariDataSource pool(String url, String user, String schema) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword("");
        config.setMaximumPoolSize(4);
        if (schema != null) {
            config.setSchema(schema);
        }
        return new HikariDataSource(config);
    }
}
