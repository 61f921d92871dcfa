package io.airlock.plugin.rpm.publish;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.repository.VersionMembership;
import io.airlock.core.store.StoredArtifact;
import io.airlock.plugin.rpm.RpmDependency;
import io.airlock.plugin.rpm.RpmFile;
import io.airlock.plugin.rpm.RpmPackage;
import io.airlock.plugin.rpm.RpmPackage.DependencyKind;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Reads the packages of a version for publication with plain JDBC, in publication order (name,
 * version, release, arch, epoch, then id), a batch at a time: no entity is instantiated and no
 * persistence context kept, which halves a publication's time against loading entities.
 *
 * <p>One forward-only query streams the narrow part in that order: each package's id and its stored
 * file (a left join on its content–artifact link, so placing the files costs no query of its own).
 * The database sorts only these narrow rows; the wide rows (texts, the JSON dependency lists, the
 * packed file lists and changelogs) are then read by id, one query per batch, so memory holds one
 * batch whatever the version's size. Works on H2 and PostgreSQL alike (standard SQL; the JSON
 * columns are read as text).
 */
final class PackageScan {

    /**
     * A package as read, with its stored file when the artifact store has it (else it is on demand).
     * The unit's dependency lists are left empty: {@code dependencies} holds their stored JSON, in
     * {@link DependencyKind} order, for the writer's thread to parse ({@link #dependencies}).
     */
    record Stored(RpmPackage unit, Optional<StoredArtifact> artifact, String[] dependencies) {
    }

    private static final JsonFactory JSON = new JsonFactory();

    /** The JSON dependency columns in {@link DependencyKind} order. */
    static final List<DependencyKind> KINDS = List.of(DependencyKind.values());

    private static final String COLUMNS = "p.id, p.name, p.epoch, p.version, p.\"release\", p.arch, p.pkg_id, p.checksum_type,"
            + " p.summary, p.description, p.url, p.packager, p.location_href, p.location_base, p.size_package, p.size_installed,"
            + " p.size_archive, p.time_file, p.time_build, p.rpm_license, p.rpm_vendor, p.rpm_group, p.rpm_buildhost,"
            + " p.rpm_sourcerpm, p.rpm_header_start, p.rpm_header_end, p.requires, p.provides, p.conflicts, p.obsoletes,"
            + " p.recommends, p.suggests, p.enhances, p.supplements, p.files, p.file_list, p.changelog";

    private final Connection connection;
    private final RepositoryVersion version;
    private final int batchSize;

    PackageScan(Connection connection, RepositoryVersion version, int batchSize) {
        this.connection = connection;
        this.version = version;
        this.batchSize = batchSize;
    }

    /** Calls {@code batches} with the version's packages in publication order, at most the batch size at a time. */
    void scan(Consumer<List<Stored>> batches) throws SQLException {
        String order = "select p.id, a.sha256, a.size from repository_content rc join rpm_package p on p.id = rc.content_id"
                + " left join content_artifact ca on ca.content_id = p.id left join artifact a on a.id = ca.artifact_id"
                + " where " + VersionMembership.sql("rc")
                + " order by p.name, p.version, p.\"release\", p.arch, p.epoch, p.id, ca.relative_path";
        try (PreparedStatement statement = connection.prepareStatement(order, ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY)) {
            statement.setFetchSize(batchSize);
            VersionMembership.bind(statement, 1, version);
            try (ResultSet rows = statement.executeQuery(); Batches loader = new Batches()) {
                List<UUID> ids = new ArrayList<>(batchSize);
                List<Optional<StoredArtifact>> artifacts = new ArrayList<>(batchSize);
                UUID previous = null;
                while (rows.next()) {
                    UUID id = rows.getObject(1, UUID.class);
                    String sha256 = rows.getString(2);
                    Optional<StoredArtifact> artifact = sha256 == null ? Optional.empty()
                            : Optional.of(new StoredArtifact(sha256, rows.getLong(3)));
                    if (id.equals(previous)) {
                        // A package with several file links (none today): the first stored one, by path, as before.
                        int last = artifacts.size() - 1;
                        if (artifacts.get(last).isEmpty()) {
                            artifacts.set(last, artifact);
                        }
                        continue;
                    }
                    if (ids.size() == batchSize) {
                        batches.accept(loader.load(ids, artifacts));
                        ids.clear();
                        artifacts.clear();
                    }
                    previous = id;
                    ids.add(id);
                    artifacts.add(artifact);
                }
                if (!ids.isEmpty()) {
                    batches.accept(loader.load(ids, artifacts));
                }
            }
        }
    }

    /** Reads the wide rows of a batch by id; keeps the statement for full batches. */
    private final class Batches implements AutoCloseable {
        private PreparedStatement full;

        List<Stored> load(List<UUID> ids, List<Optional<StoredArtifact>> artifacts) throws SQLException {
            if (Thread.currentThread().isInterrupted()) {
                throw new AirlockException(ErrorCode.CANCELLED, "publication cancelled");
            }
            Map<UUID, Stored> byId = new HashMap<>(ids.size() * 2);
            PreparedStatement statement = ids.size() == batchSize ? fullStatement() : connection.prepareStatement(query(ids.size()));
            try {
                for (int i = 0; i < ids.size(); i++) {
                    statement.setObject(i + 1, ids.get(i));
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        String[] dependencies = new String[KINDS.size()];
                        for (int i = 0; i < dependencies.length; i++) {
                            dependencies[i] = rows.getString(27 + i);
                        }
                        byId.put(rows.getObject(1, UUID.class), new Stored(unit(rows), Optional.empty(), dependencies));
                    }
                }
            } finally {
                if (statement != full) {
                    statement.close();
                }
            }
            List<Stored> batch = new ArrayList<>(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                Stored read = byId.get(ids.get(i));
                if (read == null) {
                    throw new IllegalStateException("package " + ids.get(i) + " vanished while it was read");
                }
                batch.add(new Stored(read.unit(), artifacts.get(i), read.dependencies()));
            }
            return batch;
        }

        private PreparedStatement fullStatement() throws SQLException {
            if (full == null) {
                full = connection.prepareStatement(query(batchSize));
            }
            return full;
        }

        @Override
        public void close() throws SQLException {
            if (full != null) {
                full.close();
            }
        }
    }

    private static String query(int ids) {
        StringBuilder sql = new StringBuilder("select ").append(COLUMNS).append(" from rpm_package p where p.id in (");
        for (int i = 0; i < ids; i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        return sql.append(')').toString();
    }

    /** The package of the current row, built as the entity would be but for its dependency lists. */
    private static RpmPackage unit(ResultSet rows) throws SQLException {
        RpmPackage unit = new RpmPackage(rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5),
                rows.getString(6), rows.getString(7), rows.getString(8), rows.getString(13));
        unit.describe(rows.getString(9), rows.getString(10), rows.getString(11), rows.getString(12))
                .locationBase(rows.getString(14))
                .sizes(longOrNull(rows, 15), longOrNull(rows, 16), longOrNull(rows, 17))
                .times(longOrNull(rows, 18), longOrNull(rows, 19))
                .header(rows.getString(20), rows.getString(21), rows.getString(22), rows.getString(23), rows.getString(24),
                        longOrNull(rows, 25), longOrNull(rows, 26));
        files(rows.getString(35), unit.files(), unit);
        return unit.details(rows.getBytes(36), rows.getBytes(37));
    }

    private static Long longOrNull(ResultSet rows, int column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : value;
    }

    /**
     * Reads a stored dependency list ({@code [{"name":…,"flags":…,"epoch":…,"version":…,"release":…,"pre":true}]},
     * absent parts left out, as {@link RpmDependency} is stored) into {@code into}, without data binding.
     */
    static void dependencies(String json, List<RpmDependency> into, RpmPackage owner) {
        if (json == null) {
            return;
        }
        try (JsonParser parser = JSON.createParser(json)) {
            expect(parser, JsonToken.START_ARRAY, owner);
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                String name = null;
                String flags = null;
                String epoch = null;
                String version = null;
                String release = null;
                boolean pre = false;
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (field.equals("pre")) {
                        pre = value == JsonToken.VALUE_TRUE;
                        continue;
                    }
                    String text = value == JsonToken.VALUE_NULL ? null : parser.getText();
                    switch (field) {
                        case "name" -> name = text;
                        case "flags" -> flags = text;
                        case "epoch" -> epoch = text;
                        case "version" -> version = text;
                        case "release" -> release = text;
                        default -> throw corrupt(owner, "a dependency has an unknown field '" + field + "'");
                    }
                }
                if (name == null) {
                    throw corrupt(owner, "a dependency has no name");
                }
                into.add(new RpmDependency(name, flags, epoch, version, release, pre));
            }
        } catch (IOException e) {
            throw corrupt(owner, e.getMessage());
        }
    }

    /** Reads a stored file list ({@code [{"path":…,"type":…}]}, type absent for a plain file) into {@code into}. */
    static void files(String json, List<RpmFile> into, RpmPackage owner) {
        if (json == null) {
            return;
        }
        try (JsonParser parser = JSON.createParser(json)) {
            expect(parser, JsonToken.START_ARRAY, owner);
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                String path = null;
                String type = null;
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    JsonToken value = parser.nextToken();
                    String text = value == JsonToken.VALUE_NULL ? null : parser.getText();
                    switch (field) {
                        case "path" -> path = text;
                        case "type" -> type = text;
                        default -> throw corrupt(owner, "a file has an unknown field '" + field + "'");
                    }
                }
                if (path == null) {
                    throw corrupt(owner, "a file has no path");
                }
                into.add(new RpmFile(path, type));
            }
        } catch (IOException e) {
            throw corrupt(owner, e.getMessage());
        }
    }

    private static void expect(JsonParser parser, JsonToken token, RpmPackage owner) throws IOException {
        if (parser.nextToken() != token) {
            throw corrupt(owner, "a stored list is not a JSON array");
        }
    }

    private static AirlockException corrupt(RpmPackage owner, String why) {
        return new AirlockException(ErrorCode.INVALID_INPUT, "package " + owner.nevra()
                + ": its stored dependencies or files are unreadable: " + why);
    }
}
