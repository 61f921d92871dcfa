package io.airlock.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What an installation holds, for "a failed or cancelled operation left nothing" assertions: the
 * row count of every table in the connection's schema and every file and directory under the
 * given roots (prefixed with their root's name, sorted; directories end in {@code /}). An artifact
 * store's two-hex-digit shard directories are left out: the store keeps them once created.
 */
public record Leftovers(Map<String, Long> rows, List<String> files) {

    public Leftovers {
        rows = Map.copyOf(rows);
        files = List.copyOf(files);
    }

    /** What differs in {@code later}: row counts that changed, files added and files gone (at most 20 of each). */
    public String changesTo(Leftovers later) {
        StringBuilder changes = new StringBuilder();
        java.util.Set<String> tables = new java.util.TreeSet<>(rows.keySet());
        tables.addAll(later.rows.keySet());
        for (String table : tables) {
            if (!java.util.Objects.equals(rows.get(table), later.rows.get(table))) {
                changes.append(table).append(' ').append(rows.get(table)).append(" -> ").append(later.rows.get(table)).append("; ");
            }
        }
        List<String> added = later.files.stream().filter(f -> !files.contains(f)).limit(20).toList();
        List<String> gone = files.stream().filter(f -> !later.files.contains(f)).limit(20).toList();
        return changes + "files added " + added + ", files gone " + gone;
    }

    /** The state now, read on {@code connection} (which may be inside the installation's own transaction). */
    public static Leftovers of(Connection connection, Path... roots) {
        Map<String, Long> rows = new TreeMap<>();
        try {
            List<String> tables = new ArrayList<>();
            try (ResultSet found = connection.getMetaData().getTables(null, connection.getSchema(), "%", new String[] {"TABLE"})) {
                while (found.next()) {
                    tables.add(found.getString("TABLE_NAME"));
                }
            }
            try (Statement statement = connection.createStatement()) {
                for (String table : tables) {
                    try (ResultSet count = statement.executeQuery("select count(*) from \"" + table + "\"")) {
                        count.next();
                        rows.put(table.toLowerCase(Locale.ROOT), count.getLong(1));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count rows: " + e.getMessage(), e);
        }
        List<String> files = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> !p.equals(root))
                        .filter(p -> !(Files.isDirectory(p) && p.getFileName().toString().matches("[0-9a-f]{2}")))
                        .map(p -> root.getFileName() + "/" + root.relativize(p).toString().replace('\\', '/')
                                + (Files.isDirectory(p) ? "/" : ""))
                        .forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        files.sort(null);
        return new Leftovers(rows, files);
    }
}
