package io.airlock.core;

import io.airlock.core.db.H2InterruptSafeFiles;
import io.airlock.core.store.FileSystemArtifactStore;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ErrorCode;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What an installation holds, from aggregate queries (no entity is loaded) and one walk of the
 * artifact store's directory.
 *
 * @param database the JDBC URL, any password in it masked
 * @param storage the artifact store's directory
 * @param schema the migrations applied and pending per module, as {@code schema status} reports them
 * @param plugins installed plugins: name and version, by name
 * @param repositories repositories
 * @param versions repository versions
 * @param units content units per content type, by type
 * @param artifacts artifact rows
 * @param artifactBytes their total size
 * @param storeFiles files under the store's directory (artifacts and temporary files)
 * @param storeBytes their total size on disk
 * @param orphanContent content in no repository version (what {@code cleanup} removes)
 * @param orphanArtifacts artifact rows no content in a version uses (what {@code cleanup} removes)
 */
public record InstallationStatus(String database, Path storage, List<Schema.ModuleStatus> schema, Map<String, String> plugins,
        long repositories, long versions, Map<String, Long> units, long artifacts, long artifactBytes, long storeFiles,
        long storeBytes, long orphanContent, long orphanArtifacts) {

    private static final Pattern PASSWORD = Pattern.compile("(?i)((?:password|pwd)=)[^;&]*");
    private static final Pattern USER_INFO = Pattern.compile("//([^/@:]*):[^/@]*@");

    public InstallationStatus {
        schema = List.copyOf(schema);
        plugins = java.util.Collections.unmodifiableMap(new TreeMap<>(plugins));
        units = java.util.Collections.unmodifiableMap(new TreeMap<>(units));
    }

    /** The total of {@link #units}. */
    public long unitCount() {
        return units.values().stream().mapToLong(Long::longValue).sum();
    }

    static InstallationStatus of(Airlock airlock) {
        List<ContentPlugin> installed = airlock.plugins().plugins();
        Map<String, String> plugins = new TreeMap<>();
        installed.forEach(plugin -> plugins.put(plugin.name(), plugin.version()));
        Path storage = ((FileSystemArtifactStore) airlock.artifacts()).root();
        return airlock.inRolledBackTransaction(session -> {
            List<Schema.ModuleStatus> schema = session.doReturningWork(connection -> Schema.status(connection, installed));
            if (schema.get(0).applied().isEmpty()) {
                // A new home or an empty database: nothing to count, and the schema line says so (all pending).
                long[] store = walk(storage);
                return session.doReturningWork(connection -> new InstallationStatus(maskPassword(connection.getMetaData().getURL()),
                        storage, schema, plugins, 0, 0, Map.of(), 0, 0, store[0], store[1], 0, 0));
            }
            OrphanCleanup.Orphans orphans = OrphanCleanup.countOrphans(session);
            return session.doReturningWork(connection -> {
                Map<String, Long> units = new TreeMap<>();
                try (Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("select content_type, count(*) from content group by content_type")) {
                    while (rows.next()) {
                        units.put(rows.getString(1), rows.getLong(2));
                    }
                }
                long[] artifacts = longs(connection, "select count(*), coalesce(sum(size), 0) from artifact");
                long[] store = walk(storage);
                return new InstallationStatus(maskPassword(connection.getMetaData().getURL()), storage,
                        schema, plugins, longs(connection, "select count(*) from repository")[0],
                        longs(connection, "select count(*) from repository_version")[0], units, artifacts[0], artifacts[1],
                        store[0], store[1], orphans.content(), orphans.artifacts());
            });
        });
    }

    /** The URL without a password: {@code password=} parameters and {@code user:password@} masked; H2's file-system prefix left out. */
    static String maskPassword(String url) {
        String shown = url.replace("jdbc:h2:" + H2InterruptSafeFiles.SCHEME + ":", "jdbc:h2:file:");
        shown = PASSWORD.matcher(shown).replaceAll("$1***");
        return USER_INFO.matcher(shown).replaceAll("//$1:***@");
    }

    private static long[] longs(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            long[] values = new long[rows.getMetaData().getColumnCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = rows.getLong(i + 1);
            }
            return values;
        }
    }

    /** Files and bytes under {@code root}; files that vanish during the walk are skipped. */
    private static long[] walk(Path root) {
        long[] totals = new long[2];
        if (!Files.isDirectory(root)) {
            return totals;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile()) {
                        totals[0]++;
                        totals[1] += attributes.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // removed by a concurrent run meanwhile
                }
            });
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot measure " + root + ": " + e, e);
        }
        return totals;
    }
}
