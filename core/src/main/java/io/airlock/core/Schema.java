package io.airlock.core;

import static java.util.Objects.requireNonNull;

import io.airlock.core.db.Jdbc;
import io.airlock.core.export.ExportRecord;
import io.airlock.core.model.Artifact;
import io.airlock.core.model.ContentArtifact;
import io.airlock.core.model.RemoteArtifact;
import io.airlock.core.model.Repository;
import io.airlock.core.model.RepositoryContent;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.plugin.PluginRegistry;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Content;
import io.airlock.spi.ContentPlugin;
import io.airlock.spi.DatabaseKind;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.Migration;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The database schema as versioned migrations: the core's and each installed plugin's, each module
 * numbering its own versions, recorded in the table {@value #HISTORY_TABLE}. For hosts that manage
 * the schema themselves: {@link #sql} is everything to apply, {@link #status} what a database has.
 */
public final class Schema {

    /** The table recording applied migrations: module, version, description, checksum, applied_at. */
    public static final String HISTORY_TABLE = "airlock_schema_history";

    /** The module name of the core's own migrations (a plugin cannot be named so). */
    public static final String CORE = "core";

    static final List<Migration> CORE_MIGRATIONS = List.of(
            Migration.of(1, "core tables and scratch tables", "io/airlock/core/schema"),
            Migration.of(2, "repository retention, export history", "io/airlock/core/schema"),
            Migration.of(3, "remote locations of on-demand files", "io/airlock/core/schema"),
            Migration.of(4, "scratch runs", "io/airlock/core/schema"));

    /** The core's entities (the plugins add theirs). */
    static final List<Class<?>> CORE_ENTITIES = List.of(Content.class, Repository.class, RepositoryVersion.class,
            RepositoryContent.class, Artifact.class, ContentArtifact.class, ExportRecord.class, RemoteArtifact.class);

    /**
     * The engines' scratch tables, which are not entities, and their columns: checked by
     * {@code SchemaAction.VALIDATE} next to the entities' tables.
     */
    static final Map<String, List<String>> SCRATCH_TABLES = Map.of(
            "version_draft_unit", List.of("draft_id", "op", "content_id"),
            "import_key", List.of("run_id", "kind", "repo_index", "line", "digest", "path", "sha256", "label",
                    "own_algorithm", "own_digest"),
            "scratch_run", List.of("id", "started"));

    static final String HISTORY_DDL = "create table if not exists " + HISTORY_TABLE + " (\n"
            + "    module varchar(64) not null,\n"
            + "    version integer not null,\n"
            + "    description varchar(200) not null,\n"
            + "    checksum varchar(64) not null,\n"
            + "    applied_at timestamp not null,\n"
            + "    primary key (module, version)\n"
            + ")";

    private Schema() {
    }

    /** What a database has of one module's migrations. */
    public record ModuleStatus(String module, List<Integer> applied, List<Integer> available) {
        public ModuleStatus {
            requireNonNull(module, "module");
            applied = List.copyOf(applied);
            available = List.copyOf(available);
        }

        /** The available versions not applied yet, in order. */
        public List<Integer> pending() {
            return available.stream().filter(v -> !applied.contains(v)).toList();
        }
    }

    /**
     * One migration ready to apply: its script followed by the insert that records it in
     * {@value #HISTORY_TABLE}. For hosts that feed migrations to their own tool one by one.
     */
    public record MigrationSql(String module, int version, String description, String sql) {
        public MigrationSql {
            requireNonNull(module, "module");
            requireNonNull(description, "description");
            requireNonNull(sql, "sql");
        }
    }

    /**
     * Every migration of the core and these plugins for one database kind, in the order to apply
     * them (the core first, then the plugins in the order given, each by version). The history
     * table comes first in {@link #sql}; a host applying these one by one creates it with
     * {@link #historyTableSql()} first.
     */
    public static List<MigrationSql> migrations(DatabaseKind kind, List<ContentPlugin> plugins) {
        requireNonNull(kind, "kind");
        List<MigrationSql> result = new ArrayList<>();
        for (Module module : modules(PluginRegistry.of(plugins))) {
            for (Script script : module.scripts(kind)) {
                Migration migration = script.migration();
                result.add(new MigrationSql(module.name(), migration.version(), migration.description(),
                        script.text().strip() + "\n\n" + script.historyInsert() + ";\n"));
            }
        }
        return result;
    }

    /** The statement creating the history table (the same on H2 and PostgreSQL; {@code if not exists}). */
    public static String historyTableSql() {
        return HISTORY_DDL + ";\n";
    }

    /**
     * Every migration of the core and these plugins for one database kind, in the order to apply
     * them, as one script: the history table, then each migration (a comment naming module, version
     * and description) followed by the insert recording it. Applied as it is, with any tool, it
     * gives a database that {@code SchemaAction.VALIDATE} accepts and {@code MIGRATE} leaves as it
     * is. Plugins that have entities but ship no migrations are named in a comment.
     */
    public static String sql(DatabaseKind kind, List<ContentPlugin> plugins) {
        requireNonNull(kind, "kind");
        PluginRegistry registry = PluginRegistry.of(plugins);
        List<String> names = new ArrayList<>(List.of(CORE));
        registry.plugins().forEach(plugin -> names.add(plugin.name()));
        StringBuilder out = new StringBuilder();
        out.append("-- Airlock schema for ").append(kind.id()).append(": every migration of ").append(String.join(", ", names))
                .append(", in order.\n-- Statements end with ';' at the end of a line.\n\n")
                .append("-- The migration history (").append(HISTORY_TABLE).append(").\n")
                .append(historyTableSql());
        for (MigrationSql migration : migrations(kind, plugins)) {
            out.append("\n-- ").append(migration.module()).append(" migration ").append(migration.version()).append(": ")
                    .append(migration.description()).append("\n").append(migration.sql());
        }
        for (Module module : modules(registry)) {
            if (module.migrations().isEmpty() && module.hasEntities()) {
                out.append("\n-- Plugin ").append(module.name())
                        .append(" has entities but ships no migrations: its tables are not in this script.\n");
            }
        }
        return out.toString();
    }

    /**
     * Per module (the core, then each plugin with migrations), the versions this database has
     * applied and the versions available; everything pending when the history table is missing.
     */
    public static List<ModuleStatus> status(Connection connection, List<ContentPlugin> plugins) {
        requireNonNull(connection, "connection");
        try {
            Optional<Map<String, Map<Integer, String>>> history = readHistory(connection);
            List<ModuleStatus> result = new ArrayList<>();
            for (Module module : modules(PluginRegistry.of(plugins))) {
                if (module.migrations().isEmpty()) {
                    continue;
                }
                Map<Integer, String> applied = history.map(h -> h.getOrDefault(module.name(), Map.of())).orElse(Map.of());
                result.add(new ModuleStatus(module.name(), List.copyOf(new TreeMap<>(applied).keySet()),
                        module.migrations().stream().map(Migration::version).toList()));
            }
            return result;
        } catch (SQLException e) {
            throw new AirlockException(ErrorCode.DATABASE_FAILURE, "cannot read the schema history: " + Databases.rootMessage(e), e);
        }
    }

    /** The core and every plugin as schema modules, in the order they are migrated; checks the plugins' migrations. */
    static List<Module> modules(PluginRegistry registry) {
        List<Module> modules = new ArrayList<>();
        modules.add(new Module(CORE, CORE_MIGRATIONS, Schema.class.getClassLoader(), true));
        for (ContentPlugin plugin : registry.plugins()) {
            List<Migration> migrations = List.copyOf(plugin.migrations());
            if (CORE.equals(plugin.name()) && !migrations.isEmpty()) {
                throw new AirlockException(ErrorCode.PLUGIN_INVALID, "plugin " + plugin.getClass().getName()
                        + " is named 'core', the name of the core's migrations");
            }
            for (int i = 0; i < migrations.size(); i++) {
                if (migrations.get(i).version() != i + 1) {
                    throw new AirlockException(ErrorCode.PLUGIN_INVALID, "plugin '" + plugin.name() + "' lists migration "
                            + migrations.get(i).version() + " at place " + (i + 1) + " (versions must be 1, 2, 3… in order)");
                }
            }
            boolean entities = !plugin.contentTypes().isEmpty() || !plugin.entityClasses().isEmpty();
            ClassLoader loader = plugin.getClass().getClassLoader();
            modules.add(new Module(plugin.name(), migrations, loader == null ? ClassLoader.getSystemClassLoader() : loader, entities));
        }
        return modules;
    }

    /**
     * The applied migrations by module and version, with their checksums; empty when the history
     * table does not exist (or cannot be read: a caller that needs it creates it and reads again).
     */
    static Optional<Map<String, Map<Integer, String>>> readHistory(Connection connection) throws SQLException {
        if (!historyExists(connection)) {
            return Optional.empty();
        }
        Map<String, Map<Integer, String>> applied = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select module, version, checksum from " + HISTORY_TABLE)) {
            while (rows.next()) {
                applied.computeIfAbsent(rows.getString(1), m -> new TreeMap<>()).put(rows.getInt(2), rows.getString(3));
            }
        }
        return Optional.of(applied);
    }

    private static boolean historyExists(Connection connection) throws SQLException {
        // Asking the catalog instead of failing a select: a failed statement would abort a
        // PostgreSQL transaction the caller may have open.
        var metaData = connection.getMetaData();
        for (String name : List.of(HISTORY_TABLE, HISTORY_TABLE.toUpperCase(java.util.Locale.ROOT))) {
            try (ResultSet tables = metaData.getTables(connection.getCatalog(), connection.getSchema(), name, null)) {
                if (tables.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The core or one plugin: its name, migrations and the class loader its scripts are read with. */
    record Module(String name, List<Migration> migrations, ClassLoader loader, boolean hasEntities) {

        /** Every migration's script for a database kind, read and checksummed. */
        List<Script> scripts(DatabaseKind kind) {
            List<Script> scripts = new ArrayList<>(migrations.size());
            for (Migration migration : migrations) {
                String resource = migration.scripts().get(kind);
                if (resource == null) {
                    throw new AirlockException(ErrorCode.PLUGIN_INVALID, name + " migration " + migration.version()
                            + " has no script for " + kind.id());
                }
                String text;
                try (InputStream in = loader.getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new AirlockException(ErrorCode.PLUGIN_INVALID, name + " migration " + migration.version()
                                + " names script " + resource + " for " + kind.id() + ", which is not on its class path");
                    }
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
                } catch (IOException e) {
                    throw new AirlockException(ErrorCode.PLUGIN_INVALID, "cannot read " + name + " migration "
                            + migration.version() + " (" + resource + "): " + e.getMessage(), e);
                }
                scripts.add(new Script(name, migration, text, sha256(text)));
            }
            return scripts;
        }
    }

    /** One migration's script for one database kind. */
    record Script(String module, Migration migration, String text, String checksum) {

        /** The statements, split at a {@code ;} that ends a line; comment lines dropped. */
        List<String> statements() {
            List<String> statements = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : text.split("\n", -1)) {
                String trimmed = line.strip();
                if (trimmed.startsWith("--") || (trimmed.isEmpty() && current.isEmpty())) {
                    continue;
                }
                current.append(line).append('\n');
                if (trimmed.endsWith(";")) {
                    String statement = current.toString().strip();
                    statements.add(statement.substring(0, statement.length() - 1));
                    current.setLength(0);
                }
            }
            if (!current.toString().isBlank()) {
                statements.add(current.toString().strip());
            }
            return statements;
        }

        /** The insert that records this migration as applied. */
        String historyInsert() {
            return "insert into " + HISTORY_TABLE + " (module, version, description, checksum, applied_at) values ('"
                    + module.replace("'", "''") + "', " + migration.version() + ", '" + migration.description().replace("'", "''") + "', '"
                    + checksum + "', current_timestamp)";
        }

        String label() {
            return module + " migration " + migration.version() + " (" + migration.description() + ")";
        }
    }

    static DatabaseKind kindOf(Connection connection) throws SQLException {
        return Jdbc.kindOf(connection);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
