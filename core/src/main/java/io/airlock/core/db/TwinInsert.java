package io.airlock.core.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.BitSet;
import java.util.List;

/**
 * Batched inserts into a table with a unique key where a concurrent transaction may be inserting
 * the same key (a twin). A row whose key is taken is skipped instead of failing the transaction:
 * on PostgreSQL with {@code ON CONFLICT (key) DO NOTHING} in JDBC batches, on H2 (which has no
 * such clause outside its PostgreSQL mode) by running each row and taking its unique violation as
 * "taken". (H2 runs a batch on past any failed row: after a lock timeout every further row would
 * wait its own timeout. Its rows cost no network round trip when embedded.) Either database first waits for a twin's transaction to end: a committed twin wins, a
 * rolled-back one does not. The caller then reads the winners' ids with a new statement, which
 * sees the committed twins.
 *
 * <p>Give rows in key order: concurrent writers then wait for each other in one order.
 */
public final class TwinInsert implements AutoCloseable {

    private static final String UNIQUE_VIOLATION = "23505";

    private final PreparedStatement statement;
    private final boolean postgres;
    private final int batchSize;
    private final BitSet inserted = new BitSet();
    private int rows;
    private int pending;

    private TwinInsert(PreparedStatement statement, boolean postgres, int batchSize) {
        this.statement = statement;
        this.postgres = postgres;
        this.batchSize = batchSize;
    }

    /**
     * Prepares {@code insert into table (columns) values (…)}; {@code key} lists the columns of the
     * unique key a twin would share.
     */
    public static TwinInsert into(Connection connection, String table, List<String> columns, String key, int batchSize)
            throws SQLException {
        boolean postgres = Jdbc.kindOf(connection) == io.airlock.spi.DatabaseKind.POSTGRESQL;
        String sql = "insert into " + table + " (" + String.join(", ", columns) + ") values ("
                + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")"
                + (postgres ? " on conflict (" + key + ") do nothing" : "");
        return new TwinInsert(connection.prepareStatement(sql), postgres, batchSize);
    }

    /** Adds a row, its values in the order of the columns. */
    public void add(Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            statement.setObject(i + 1, values[i]);
        }
        if (!postgres) {
            try {
                if (statement.executeUpdate() > 0) {
                    inserted.set(rows);
                }
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
            }
            rows++;
            return;
        }
        statement.addBatch();
        rows++;
        if (++pending == batchSize) {
            flush();
        }
    }

    /**
     * Runs the rows not yet sent and returns, by row index in the order added, the rows known to be
     * inserted. A row not in the set lost to a twin, or its count is unknown (a driver that rewrites
     * batches): the caller reads its key's id and compares.
     */
    public BitSet execute() throws SQLException {
        flush();
        return inserted;
    }

    private void flush() throws SQLException {
        if (pending == 0) {
            return;
        }
        int first = rows - pending;
        int[] counts = statement.executeBatch();
        for (int i = 0; i < counts.length && i < pending; i++) {
            if (counts[i] > 0) { // 0: skipped, EXECUTE_FAILED: refused (H2), SUCCESS_NO_INFO: unknown
                inserted.set(first + i);
            }
        }
        pending = 0;
    }

    @Override
    public void close() throws SQLException {
        statement.close();
    }
}
