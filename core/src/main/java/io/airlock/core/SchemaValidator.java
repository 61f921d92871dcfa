package io.airlock.core;

import io.airlock.core.Schema.Module;
import io.airlock.core.Schema.Script;
import io.airlock.core.SchemaModel.TableModel;
import io.airlock.spi.AirlockException;
import io.airlock.spi.DatabaseKind;
import io.airlock.spi.ErrorCode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.hibernate.SessionFactory;

/**
 * {@code SchemaAction.VALIDATE}: checks that the history has every migration of the installed
 * modules (unchanged), that every table and column the entities and the engines' scratch tables
 * need exists, and then Hibernate's own validation of column types. Reports all that is missing
 * in one exception.
 */
final class SchemaValidator {

    /** At most this many missing things are named; the rest are counted. */
    private static final int MAX_NAMED = 16;

    private SchemaValidator() {
    }

    static void validate(SessionFactory sessionFactory, SchemaModel model, List<Module> modules) {
        List<String> problems;
        try (var session = sessionFactory.openSession()) {
            problems = session.doReturningWork(connection -> problems(connection, model, modules));
        } catch (AirlockException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new AirlockException(ErrorCode.DATABASE_FAILURE, "cannot validate the schema: " + Databases.rootMessage(e), e);
        }
        if (!problems.isEmpty()) {
            List<String> named = problems.subList(0, Math.min(MAX_NAMED, problems.size()));
            throw new AirlockException(ErrorCode.DATABASE_FAILURE, "schema " + String.join("; ", named)
                    + (problems.size() > named.size() ? "; and " + (problems.size() - named.size()) + " more" : "")
                    + " (apply the output of 'airlock schema sql' or start with SchemaAction.MIGRATE)");
        }
        try {
            sessionFactory.getSchemaManager().validateMappedObjects();
        } catch (RuntimeException e) {
            throw new AirlockException(ErrorCode.DATABASE_FAILURE, "schema does not match the entities: " + Databases.rootMessage(e), e);
        }
    }

    private static List<String> problems(Connection connection, SchemaModel model, List<Module> modules) throws SQLException {
        DatabaseKind kind = Schema.kindOf(connection);
        Map<String, Map<Integer, String>> history = Schema.readHistory(connection).orElse(Map.of());
        List<String> problems = new ArrayList<>();
        Map<String, String> reasons = new HashMap<>();
        List<String> historyGaps = new ArrayList<>();
        for (Module module : modules) {
            if (module.migrations().isEmpty()) {
                reasons.put(module.name(), "plugin " + module.name() + " ships no migrations: create its tables yourself");
                continue;
            }
            Map<Integer, String> applied = history.getOrDefault(module.name(), Map.of());
            for (Script script : module.scripts(kind)) {
                String checksum = applied.get(script.migration().version());
                if (checksum == null) {
                    reasons.putIfAbsent(module.name(), module.name() + " migration " + script.migration().version() + " not applied");
                    historyGaps.add(script.label());
                } else if (!checksum.equals(script.checksum())) {
                    problems.add("history has " + script.label() + " with checksum " + checksum + ", not "
                            + script.checksum() + " (the script changed after it was applied)");
                }
            }
            reasons.putIfAbsent(module.name(), module.name() + " migrations are all recorded as applied");
        }
        Map<String, Set<String>> actual = columns(connection);
        Map<String, TableModel> expected = new LinkedHashMap<>(model.tables());
        Schema.SCRATCH_TABLES.forEach((name, columns) -> expected.putIfAbsent(name, new TableModel(name, Schema.CORE, columns)));
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, TableModel> entry : expected.entrySet()) {
            TableModel table = entry.getValue();
            Set<String> present = actual.get(entry.getKey());
            String reason = reasons.getOrDefault(table.module(), table.module());
            if (present == null) {
                missing.add("table " + table.name() + " (" + reason + ")");
                continue;
            }
            for (String column : table.columns()) {
                if (!has(present, column)) {
                    missing.add("column " + table.name() + "." + column + " (" + reason + ")");
                }
            }
        }
        List<String> all = new ArrayList<>();
        if (!missing.isEmpty()) {
            all.add("is missing " + missing.get(0));
            all.addAll(missing.subList(1, missing.size()));
        }
        if (!historyGaps.isEmpty()) {
            all.add("history " + (history.isEmpty() ? "(table " + Schema.HISTORY_TABLE + ") " : "") + "lacks "
                    + String.join(", ", historyGaps));
        }
        all.addAll(problems);
        return all;
    }

    /**
     * Whether a table has a column: a quoted name (such as {@code "groups"}) exactly as written, an
     * unquoted one as the database folds it (upper case on H2, lower case on PostgreSQL).
     */
    private static boolean has(Set<String> columns, String column) {
        if (column.startsWith("\"")) {
            return columns.contains(column.substring(1, column.length() - 1));
        }
        return columns.contains(column.toUpperCase(Locale.ROOT)) || columns.contains(column.toLowerCase(Locale.ROOT));
    }

    /** Every table of the connection's schema (by lower-case name) with its columns as the database has them: one catalog query. */
    private static Map<String, Set<String>> columns(Connection connection) throws SQLException {
        Map<String, Set<String>> tables = new HashMap<>();
        try (ResultSet rows = connection.getMetaData().getColumns(connection.getCatalog(), connection.getSchema(), "%", "%")) {
            while (rows.next()) {
                tables.computeIfAbsent(rows.getString("TABLE_NAME").toLowerCase(Locale.ROOT), t -> new java.util.HashSet<>())
                        .add(rows.getString("COLUMN_NAME"));
            }
        }
        return tables;
    }
}
