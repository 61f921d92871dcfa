package io.airlock.core.db;

import io.airlock.spi.AirlockException;
import io.airlock.spi.Cancellation;
import io.airlock.spi.DatabaseKind;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.Ids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.Session;

/**
 * The scratch rows ({@code import_key}, {@code version_draft_unit}) of one transaction, kept out of
 * it: they are written by a second connection in committed batches, keyed by ids that nobody else
 * reads, so the main transaction only reads them (at read committed it sees every committed batch)
 * and neither H2's undo log nor its file holds them until the main transaction ends. All-or-nothing
 * is unchanged: scratch rows are never part of what an operation makes, and they are deleted, in
 * committed batches, when the main transaction ends, whether it committed or rolled back.
 *
 * <p><b>Rows of killed processes.</b> Every scratch id has a {@code scratch_run} row, committed by
 * the second connection and then locked ({@code select … for update}) by the main transaction for as
 * long as it lives; the database drops the lock when the transaction ends, also when its process
 * dies (the connection closes). {@link #removeDead} takes the rows it can lock with {@code skip
 * locked}: those are the runs no transaction holds, in this process or another, on H2 or on a
 * PostgreSQL shared by several hosts, with no clock or process id involved. A run row committed but
 * not locked yet looks dead for that instant: a cleaner may delete it, and then the main
 * transaction's lock finds no row and the space registers another id (no scratch row is written
 * under an id before its lock is held).
 *
 * <p><b>Tables of their own on H2.</b> With a second connection on H2, each id's rows go to tables
 * of that id's own ({@link #table}: {@code import_key_<id>}, created by the second connection),
 * which are dropped when done: H2 took 17 s to delete the 300,000 scratch rows of a
 * 100,000-unit import from the shared table, in committed batches, and a drop takes milliseconds.
 * The main transaction only reads them, so its undo log never names them (a transactional
 * temporary table that it wrote was what made a killed H2 database unopenable). PostgreSQL deletes
 * the rows of the shared tables in one fast statement and keeps them, as does a database where the
 * second connection may not create tables (the shared tables are used then).
 *
 * <p>Without a second connection (an anonymous in-memory H2 database, which each connection would
 * see empty), the rows are written in the main transaction, as before.
 */
public final class ScratchSpace {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ScratchSpace.class);

    /** Rows per JDBC batch. */
    public static final int BATCH = 1000;
    /** Rows between two commits of the scratch connection. */
    private static final int COMMIT_EVERY = 10_000;
    /** Rows deleted per statement (and commit) on H2. */
    private static final int DELETE_BATCH = 10_000;
    /** Rows written to a table since its last {@code analyze} that make the next read analyze it again (PostgreSQL). */
    private static final int ANALYZE_AFTER = 5_000;

    /** Where the second connection comes from: the installation's pool or the host's DataSource. */
    public interface Source {
        /** A connection, or null when none can be had without waiting (the rows then go in the main transaction). */
        Connection open() throws SQLException;

        void release(Connection connection) throws SQLException;
    }

    private final Session session;
    /** Null once the space writes in the main transaction. */
    private Source source;
    private Connection scratch;
    private Boolean postgres;
    private final List<UUID> ids = new ArrayList<>();
    private long uncommitted;
    private final java.util.Map<String, Long> unanalyzed = new java.util.HashMap<>();
    /** The tables of their own made for ids of this space (see {@link #table}); false once the database refused one. */
    private final java.util.Set<String> ownTables = new java.util.HashSet<>();
    private boolean ownTablesAllowed = true;

    /** {@code source} null: the rows are written in the main transaction. */
    public ScratchSpace(Session session, Source source) {
        this.session = session;
        this.source = source;
    }

    /**
     * Opens the second connection at the first need; without one (no source, or none free), the
     * space writes in the main transaction from then on.
     */
    private void connect() throws SQLException {
        if (source == null || scratch != null) {
            return;
        }
        Connection opened = source.open();
        if (opened == null) {
            LOG.debug("no second connection free: scratch rows in the main transaction");
            source = null;
            return;
        }
        try {
            opened.setAutoCommit(false);
            postgres = Jdbc.kindOf(opened) == DatabaseKind.POSTGRESQL;
        } catch (SQLException | RuntimeException e) {
            source.release(opened);
            throw e;
        }
        scratch = opened;
    }

    private boolean postgres() {
        if (postgres == null) {
            postgres = session.doReturningWork(main -> Jdbc.kindOf(main) == DatabaseKind.POSTGRESQL);
        }
        return postgres;
    }

    /**
     * A new scratch id, registered in {@code scratch_run} and locked by the main transaction before
     * it is returned: rows written under it are removed after a crash by {@link #removeDead}.
     */
    public UUID newId() {
        try {
            connect();
            if (source == null) {
                return Ids.next();
            }
            for (int attempt = 0; attempt < 3; attempt++) {
                UUID id = Ids.next();
                Connection writer = writer();
                try (PreparedStatement insert = writer.prepareStatement("insert into scratch_run (id, started) values (?, current_timestamp)")) {
                    insert.setObject(1, id);
                    insert.executeUpdate();
                }
                writer.commit();
                boolean locked = session.doReturningWork(main -> {
                    try (PreparedStatement lock = main.prepareStatement("select id from scratch_run where id = ? for update")) {
                        lock.setObject(1, id);
                        try (ResultSet rows = lock.executeQuery()) {
                            return rows.next();
                        }
                    }
                });
                if (locked) {
                    ids.add(id);
                    return id;
                }
                // A cleaner took the row for dead between its commit and the lock: register another.
            }
            throw new AirlockException(ErrorCode.DATABASE_FAILURE, "cannot register a scratch run: its row vanished three times");
        } catch (SQLException e) {
            throw new AirlockException(ErrorCode.DATABASE_FAILURE, "cannot register a scratch run: " + e.getMessage(), e);
        }
    }

    /**
     * The connection to write scratch rows on: the second connection (not auto-committing; call
     * {@link #wrote} after each batch) or, without one, the main transaction's.
     */
    public Connection writer() throws SQLException {
        connect();
        if (source == null) {
            return session.doReturningWork(c -> c);
        }
        return scratch;
    }

    /**
     * The table that holds the rows of {@code id} for the scratch table {@code shared}
     * ({@code import_key} or {@code version_draft_unit}): with a second connection on H2, a table of
     * the id's own with the shared table's columns and indexes, created at the first call and dropped
     * by {@link #release} or {@link #close}; the shared table otherwise. Statements keep their
     * id conditions either way.
     */
    public String table(String shared, UUID id) {
        try {
            connect();
            if (source == null || postgres() || !ownTablesAllowed || !ids.contains(id)) {
                return shared;
            }
            String own = ownName(shared, id);
            if (ownTables.contains(own)) {
                return own;
            }
            try (Statement ddl = scratch.createStatement()) {
                for (String statement : ownTableDdl(shared, own)) {
                    ddl.execute(statement);
                }
                scratch.commit();
            } catch (SQLException e) {
                // A database where this user may not create tables: the shared table serves.
                scratch.rollback();
                LOG.debug("cannot create the scratch table {} ({}): using {}", own, e.toString(), shared);
                ownTablesAllowed = false;
                return shared;
            }
            ownTables.add(own);
            return own;
        } catch (SQLException e) {
            throw new AirlockException(ErrorCode.DATABASE_FAILURE, "cannot create a scratch table: " + e.getMessage(), e);
        }
    }

    /** The name of {@code id}'s own table for {@code shared}: the shared name and the id's 32 hex digits. */
    private static String ownName(String shared, UUID id) {
        return shared + "_" + id.toString().replace("-", "");
    }

    /** The DDL of an own table: the columns and indexes of the shared one (V1.sql), under its own names. */
    private static List<String> ownTableDdl(String shared, String own) {
        return switch (shared) {
            case "import_key" -> List.of("create table " + own + " (run_id uuid not null, kind char(1) not null,"
                            + " repo_index int not null, line bigint not null, digest varchar(64) not null, path varchar(4096),"
                            + " sha256 varchar(64), label varchar(512), own_algorithm varchar(32), own_digest varchar(128))",
                    "create index ix_" + own + " on " + own + " (run_id, kind, repo_index, line)",
                    "create index ix_" + own + "_digest on " + own + " (run_id, kind, digest)");
            case "version_draft_unit" -> List.of("create table " + own + " (draft_id uuid not null, op char(1) not null,"
                            + " content_id uuid not null)",
                    "create index ix_" + own + " on " + own + " (draft_id, op, content_id)");
            default -> throw new IllegalArgumentException("not a scratch table: " + shared);
        };
    }

    /**
     * Counts {@code rows} written to {@code table} on {@link #writer()} and commits them once enough
     * are pending (always with {@code commitNow}): the main transaction sees them from then on.
     */
    public void wrote(String table, long rows, boolean commitNow) throws SQLException {
        unanalyzed.merge(table, rows, Long::sum);
        if (source == null) {
            return;
        }
        uncommitted += rows;
        if (commitNow || uncommitted >= COMMIT_EVERY) {
            commit();
        }
    }

    /** Commits what the second connection wrote, so the main transaction reads it. */
    public void commit() throws SQLException {
        if (scratch != null) {
            scratch.commit();
            uncommitted = 0;
        }
    }

    /**
     * Before the main transaction reads {@code table}: commits pending rows and, on PostgreSQL, when
     * many rows were written since, runs {@code analyze}; without statistics for them the planner
     * takes the scratch rows for a handful and joins them by nested loops (minutes at 20,000 units).
     */
    public void beforeRead(String table) throws SQLException {
        commit();
        // Not in the main transaction without a second connection: analyze's lock on the table would be
        // held until that transaction ends, and concurrent imports would queue behind each other.
        if (scratch != null && postgres() && unanalyzed.getOrDefault(table, 0L) >= ANALYZE_AFTER) {
            long start = System.nanoTime();
            try (Statement analyze = scratch.createStatement()) {
                analyze.execute("analyze " + table);
            }
            commit();
            unanalyzed.put(table, 0L);
            LOG.debug("analyze {}: {} ms", table, (System.nanoTime() - start) / 1_000_000);
        }
    }

    /**
     * Inserts into {@code table} (the table itself, as {@link #table} names it; {@code columns}, comma-separated) the {@code leading} values
     * followed by the columns of each row {@code select} (with {@code parameters}) gives on the main
     * transaction's connection: streamed into committed batches on the scratch connection, for
     * scratch rows computed from what the main transaction has written and the scratch connection
     * cannot see. Returns the rows inserted.
     */
    public long insertSelected(String table, String columns, Object[] leading, String select, Object... parameters) {
        String marks = "?, ".repeat(leading.length);
        session.doWork(main -> connect());
        if (source == null) {
            return session.doReturningWork(main -> {
                try (PreparedStatement statement = main.prepareStatement("insert into " + table + " (" + columns + ") select "
                        + marks + "selected.* from (" + select + ") selected")) {
                    int i = 1;
                    for (Object value : leading) {
                        statement.setObject(i++, value);
                    }
                    for (Object value : parameters) {
                        statement.setObject(i++, value);
                    }
                    long rows = statement.executeLargeUpdate();
                    unanalyzed.merge(table, rows, Long::sum);
                    return rows;
                }
            });
        }
        return session.doReturningWork(main -> {
            Connection writer = writer();
            long count = 0;
            try (PreparedStatement query = main.prepareStatement(select)) {
                for (int i = 0; i < parameters.length; i++) {
                    query.setObject(i + 1, parameters[i]);
                }
                query.setFetchSize(BATCH);
                try (ResultSet rows = query.executeQuery()) {
                    int selected = rows.getMetaData().getColumnCount();
                    try (PreparedStatement write = writer.prepareStatement("insert into " + table + " (" + columns + ") values ("
                            + marks + "?, ".repeat(selected - 1) + "?)")) {
                        int pending = 0;
                        while (rows.next()) {
                            int i = 1;
                            for (Object value : leading) {
                                write.setObject(i++, value);
                            }
                            for (int c = 1; c <= selected; c++) {
                                write.setObject(i++, rows.getObject(c));
                            }
                            write.addBatch();
                            count++;
                            if (++pending == BATCH) {
                                write.executeBatch();
                                wrote(table, pending, false);
                                pending = 0;
                                Cancellation.check("scratch rows");
                            }
                        }
                        if (pending > 0) {
                            write.executeBatch();
                        }
                        wrote(table, pending, true);
                    }
                }
            }
            return count;
        });
    }

    /**
     * The rows of {@code id} in {@code table} (whose id column is {@code column}) are no longer
     * needed: deleted now, in committed batches on the scratch connection (in the main transaction
     * without one). Its {@code scratch_run} row stays until the main transaction ends.
     */
    public void release(String table, String column, UUID id) {
        try {
            String own = ownName(table, id);
            if (ownTables.remove(own)) {
                dropTable(writer(), own);
                return;
            }
            if (source == null) {
                session.doWork(main -> {
                    try (PreparedStatement delete = main.prepareStatement("delete from " + table + " where " + column + " = ?")) {
                        delete.setObject(1, id);
                        delete.executeUpdate();
                    }
                });
                return;
            }
            deleteRows(writer(), postgres(), table, column, id);
        } catch (SQLException e) {
            throw new AirlockException(ErrorCode.DATABASE_FAILURE, "cannot delete scratch rows: " + e.getMessage(), e);
        }
    }

    /**
     * After the main transaction ended (committed or rolled back): deletes every row of this space's
     * ids and their {@code scratch_run} rows, and returns the second connection. A failure here
     * costs space only (the rows are removed by the next {@link #removeDead}): it is logged.
     */
    public void close() {
        if (scratch == null) {
            return;
        }
        Cancellation.runUninterrupted(() -> {
            try {
                scratch.rollback();
                for (UUID id : ids) {
                    removeRun(scratch, postgres(), id);
                }
            } catch (SQLException | RuntimeException e) {
                LOG.warn("cannot delete scratch rows ({}); the next import or cleanup removes them", e.toString());
            } finally {
                try {
                    scratch.setAutoCommit(true);
                    source.release(scratch);
                } catch (SQLException | RuntimeException e) {
                    LOG.debug("cannot release the scratch connection: {}", e.toString());
                }
                scratch = null;
                ids.clear();
                ownTables.clear();
            }
        });
    }

    /**
     * Removes the scratch rows of runs that no transaction holds (their process was killed before
     * it could delete them); returns how many runs. Runs of live transactions, in this process or
     * another, are locked and skipped.
     */
    public static int removeDead(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            boolean postgres = Jdbc.kindOf(connection) == DatabaseKind.POSTGRESQL;
            List<UUID> dead = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement("select id from scratch_run for update skip locked");
                    ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    dead.add(rows.getObject(1, UUID.class));
                }
            }
            connection.commit(); // the deletes below lock each row again, one run per transaction
            int removed = 0;
            for (UUID id : dead) {
                try (PreparedStatement lock = connection.prepareStatement("select id from scratch_run where id = ? for update skip locked")) {
                    lock.setObject(1, id);
                    try (ResultSet rows = lock.executeQuery()) {
                        if (!rows.next()) {
                            connection.commit();
                            continue; // gone, or taken by another cleaner meanwhile
                        }
                    }
                }
                removeRun(connection, postgres, id);
                removed++;
            }
            return removed;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * Drops the run's own tables (on H2) and deletes its rows of the shared tables in committed
     * batches, then its run row, and commits: the run row goes last, so a failure in between
     * leaves it for the next {@link #removeDead}.
     */
    private static void removeRun(Connection connection, boolean postgres, UUID id) throws SQLException {
        if (!postgres) {
            dropTable(connection, ownName("import_key", id));
            dropTable(connection, ownName("version_draft_unit", id));
        }
        deleteRows(connection, postgres, "import_key", "run_id", id);
        deleteRows(connection, postgres, "version_draft_unit", "draft_id", id);
        try (PreparedStatement delete = connection.prepareStatement("delete from scratch_run where id = ?")) {
            delete.setObject(1, id);
            delete.executeUpdate();
        }
        connection.commit();
    }

    /** Drops {@code table} if it exists, and commits. */
    private static void dropTable(Connection connection, String table) throws SQLException {
        try (Statement drop = connection.createStatement()) {
            drop.execute("drop table if exists " + table);
        }
        connection.commit();
    }

    /**
     * Deletes {@code table}'s rows of {@code id}, committing after each batch: on H2 a statement
     * deleting 100,000 rows keeps each in its undo log until the commit. PostgreSQL deletes them
     * in one statement.
     */
    private static void deleteRows(Connection connection, boolean postgres, String table, String column, UUID id) throws SQLException {
        String sql = "delete from " + table + " where " + column + " = ?" + (postgres ? "" : " fetch first " + DELETE_BATCH + " rows only");
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setObject(1, id);
            while (true) {
                int rows = delete.executeUpdate();
                connection.commit();
                if (postgres || rows < DELETE_BATCH) {
                    return;
                }
            }
        }
    }
}
