package com.example.host;

import io.airlock.core.Schema;
import io.airlock.spi.ContentPlugin;
import io.airlock.spi.DatabaseKind;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The host's own schema tooling, as a host with Flyway or Liquibase would have it: it takes
 * Airlock's SQL ({@link Schema#sql}) and applies it itself, once, in one transaction.
 */
public final class HostSchema {

    private HostSchema() {
    }

    /** Applies Airlock's schema for these plugins unless the database already has it; returns whether it did. */
    public static boolean apply(DataSource pool, List<ContentPlugin> plugins) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            DatabaseKind kind = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("h2")
                    ? DatabaseKind.H2 : DatabaseKind.POSTGRESQL;
            if (hasTable(connection, Schema.HISTORY_TABLE)) {
                return false;
            }
            String sql = Schema.sql(kind, plugins);
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
            return true;
        }
    }

    private static boolean hasTable(Connection connection, String name) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        for (String candidate : List.of(name, name.toUpperCase(Locale.ROOT))) {
            try (ResultSet tables = meta.getTables(connection.getCatalog(), connection.getSchema(), candidate, null)) {
                if (tables.next()) {
                    return true;
                }
            }
        }
        return false;
    }
}
