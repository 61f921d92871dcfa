package io.airlock.core;

import io.airlock.core.Schema.Module;
import io.airlock.core.Schema.Script;
import io.airlock.core.db.Jdbc;
import io.airlock.spi.AirlockException;
import io.airlock.spi.DatabaseKind;
import io.airlock.spi.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Applies the migrations a database lacks ({@code SchemaAction.MIGRATE}), on one connection. When
 * everything is applied this costs one query. Otherwise it takes a lock first, so that starts at
 * the same time apply each migration once: on PostgreSQL an advisory lock per schema (processes
 * anywhere); on H2, whose database file one process owns, a lock in this JVM (H2 has no advisory
 * locks, and a row lock would not survive its DDL, which commits; processes sharing an H2 server
 * race harmlessly: the shipped scripts use {@code if not exists}, and a migration a concurrent
 * start recorded first counts as applied). On PostgreSQL each module's pending migrations run in
 * one transaction; on H2 each statement commits.
 */
final class SchemaMigrator {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SchemaMigrator.class);

    /** First key of the PostgreSQL advisory lock ("AIRL"); the second is the hash of the schema name. */
    private static final int ADVISORY_LOCK_CLASS = 0x4149524c;

    /** The H2 databases being migrated in this JVM, by URL and schema. */
    private static final Map<String, ReentrantLock> H2_LOCKS = new ConcurrentHashMap<>();

    /** Where connections come from: Airlock's own pool or the host's DataSource. */
    interface Connections {
        Connection open() throws SQLException;

        void release(Connection connection) throws SQLException;
    }

    private SchemaMigrator() {
    }

    /**
     * Applies every pending migration of the modules, in module order; returns how many it applied.
     * {@code database} names the database in the message when no connection can be opened.
     */
    static int migrate(Connections connections, List<Module> modules, String database) {
        return onConnection(connections, database, "cannot migrate the schema: ", (connection, kind) -> {
            Map<Module, List<Script>> scripts = scripts(modules, kind);
            Map<String, Map<Integer, String>> applied = quickRead(connection);
            if (applied != null && pending(applied, scripts).isEmpty()) {
                return 0;
            }
            return kind == DatabaseKind.POSTGRESQL
                    ? underAdvisoryLock(connection, () -> applyPending(connection, kind, scripts))
                    : underJvmLock(connection, () -> applyPending(connection, kind, scripts));
        });
    }

    /**
     * Whether any migration of the modules is not applied yet (true too when the history cannot be
     * read); an applied migration whose script changed fails as {@link #migrate} would. One query.
     */
    static boolean pending(Connections connections, List<Module> modules, String database) {
        return onConnection(connections, database, "cannot read the schema history: ", (connection, kind) -> {
            Map<String, Map<Integer, String>> applied = quickRead(connection);
            return applied == null || !pending(applied, scripts(modules, kind)).isEmpty();
        });
    }

    private interface ConnectionWork<R> {
        R run(Connection connection, DatabaseKind kind) throws SQLException;
    }

    /** Runs work on one connection in autocommit mode, restoring the mode and releasing it after. */
    private static <R> R onConnection(Connections connections, String database, String failing, ConnectionWork<R> work) {
        Connection connection;
        try {
            connection = connections.open();
        } catch (SQLException e) {
            throw new AirlockException(ErrorCode.DATABASE_FAILURE, "cannot open database " + database + ": " + Databases.rootMessage(e), e);
        }
        try {
            boolean autoCommit = connection.getAutoCommit();
            try {
                connection.setAutoCommit(true);
                return work.run(connection, Schema.kindOf(connection));
            } finally {
                try {
                    connection.setAutoCommit(autoCommit);
                } finally {
                    connections.release(connection);
                }
            }
        } catch (SQLException e) {
            throw new AirlockException(ErrorCode.DATABASE_FAILURE, failing + Databases.rootMessage(e), e);
        }
    }

    private static Map<Module, List<Script>> scripts(List<Module> modules, DatabaseKind kind) {
        Map<Module, List<Script>> scripts = new LinkedHashMap<>();
        for (Module module : modules) {
            if (!module.migrations().isEmpty()) {
                scripts.put(module, module.scripts(kind));
            }
        }
        return scripts;
    }

    /** The history in one query; null when it cannot be read (no history table yet). */
    private static Map<String, Map<Integer, String>> quickRead(Connection connection) {
        Map<String, Map<Integer, String>> applied = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select module, version, checksum from " + Schema.HISTORY_TABLE)) {
            while (rows.next()) {
                applied.computeIfAbsent(rows.getString(1), m -> new TreeMap<>()).put(rows.getInt(2), rows.getString(3));
            }
            return applied;
        } catch (SQLException e) {
            return null; // autocommit: nothing to roll back; the locked path creates the table and reads again
        }
    }

    /**
     * The scripts not applied yet, after checking that every applied one is unchanged and that none
     * pending comes before one applied.
     */
    private static List<Script> pending(Map<String, Map<Integer, String>> applied, Map<Module, List<Script>> scripts) {
        List<Script> pending = new ArrayList<>();
        for (Map.Entry<Module, List<Script>> entry : scripts.entrySet()) {
            Map<Integer, String> done = applied.getOrDefault(entry.getKey().name(), Map.of());
            int highest = done.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
            for (Script script : entry.getValue()) {
                String checksum = done.get(script.migration().version());
                if (checksum == null) {
                    if (script.migration().version() < highest) {
                        throw new AirlockException(ErrorCode.DATABASE_FAILURE, script.label() + " is not applied but "
                                + entry.getKey().name() + " migration " + highest + " is: migrations apply in order only");
                    }
                    pending.add(script);
                } else if (!checksum.equals(script.checksum())) {
                    throw new AirlockException(ErrorCode.DATABASE_FAILURE, script.label() + " was applied with checksum "
                            + checksum + " but its script now has checksum " + script.checksum()
                            + ": an applied migration must not change (ship the change as a new migration)");
                }
            }
        }
        return pending;
    }

    private static int applyPending(Connection connection, DatabaseKind kind, Map<Module, List<Script>> scripts)
            throws SQLException {
        execute(connection, Schema.HISTORY_DDL);
        Map<String, Map<Integer, String>> applied = Schema.readHistory(connection).orElseThrow();
        List<Script> pending = pending(applied, scripts);
        boolean transactional = kind == DatabaseKind.POSTGRESQL;
        int count = 0;
        for (Module module : scripts.keySet()) {
            List<Script> mine = pending.stream().filter(s -> s.module().equals(module.name())).toList();
            if (mine.isEmpty()) {
                continue;
            }
            connection.setAutoCommit(!transactional);
            try {
                for (Script script : mine) {
                    apply(connection, script);
                    count++;
                }
                if (transactional) {
                    connection.commit();
                }
            } catch (SQLException | RuntimeException e) {
                if (transactional) {
                    try {
                        connection.rollback();
                    } catch (SQLException rollback) {
                        e.addSuppressed(rollback);
                    }
                }
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
        return count;
    }

    private static void apply(Connection connection, Script script) throws SQLException {
        long started = System.nanoTime();
        for (String statement : script.statements()) {
            try {
                execute(connection, statement);
            } catch (SQLException e) {
                String shown = statement.replaceAll("\\s+", " ");
                throw new AirlockException(ErrorCode.DATABASE_FAILURE, script.label() + " failed at '"
                        + (shown.length() > 80 ? shown.substring(0, 80) + "…" : shown) + "': " + Databases.rootMessage(e), e);
            }
        }
        try {
            execute(connection, script.historyInsert());
        } catch (SQLException e) {
            if (Jdbc.isUniqueViolation(e) && recordedAlike(connection, script)) {
                return; // another H2 process applied it at the same time
            }
            throw new AirlockException(ErrorCode.DATABASE_FAILURE, "cannot record " + script.label() + " as applied: "
                    + Databases.rootMessage(e), e);
        }
        LOG.info("applied {} in {} ms", script.label(), (System.nanoTime() - started) / 1_000_000);
    }

    private static boolean recordedAlike(Connection connection, Script script) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select checksum from " + Schema.HISTORY_TABLE + " where module = ? and version = ?")) {
            select.setString(1, script.module());
            select.setInt(2, script.migration().version());
            try (ResultSet row = select.executeQuery()) {
                return row.next() && script.checksum().equals(row.getString(1));
            }
        }
    }

    private interface Work {
        int run() throws SQLException;
    }

    private static int underAdvisoryLock(Connection connection, Work work) throws SQLException {
        String key = ADVISORY_LOCK_CLASS + ", hashtext(current_schema())";
        execute(connection, "select pg_advisory_lock(" + key + ")");
        try {
            return work.run();
        } finally {
            execute(connection, "select pg_advisory_unlock(" + key + ")");
        }
    }

    private static int underJvmLock(Connection connection, Work work) throws SQLException {
        String url = connection.getMetaData().getURL();
        String database = (url.indexOf(';') < 0 ? url : url.substring(0, url.indexOf(';'))) + "|" + connection.getSchema();
        ReentrantLock lock = H2_LOCKS.computeIfAbsent(database, d -> new ReentrantLock());
        lock.lock();
        try {
            return work.run();
        } finally {
            lock.unlock();
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
