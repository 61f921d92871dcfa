package io.airlock.core.content;

import static java.util.Objects.requireNonNull;

import io.airlock.core.plugin.PluginRegistry;
import io.airlock.core.store.StoredArtifact;
import io.airlock.spi.Content;
import io.airlock.spi.ContentKey;
import io.airlock.spi.ContentResource;
import io.airlock.spi.Ids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Stores content units in bulk: each unit is matched by natural key (one indexed lookup per batch
 * for all types), existing units are reused, new ones are inserted with their files' artifact rows
 * and content–artifact links. A unit that exists with an on-demand file gets the artifact when it
 * is now given.
 */
public final class ContentWriter {

    /** Rows per JDBC batch and units per lookup. */
    public static final int BATCH_SIZE = 1000;
    private static final int LOOKUP_CHUNK = 500;

    private final PluginRegistry plugins;

    public ContentWriter(PluginRegistry plugins) {
        this.plugins = requireNonNull(plugins, "plugins");
    }

    /** A unit to store with its files. */
    public record NewUnit(Content unit, List<UnitFile> files) {
        public NewUnit {
            requireNonNull(unit, "unit");
            files = List.copyOf(files);
        }
    }

    /** A file of a unit: its relative path and the stored artifact, or empty for on demand. */
    public record UnitFile(String relativePath, Optional<StoredArtifact> artifact) {
        public UnitFile {
            requireNonNull(relativePath, "relativePath");
            requireNonNull(artifact, "artifact");
        }
    }

    /** What {@link #save} did: the id of each given unit, in order, and how many were new. */
    public record Saved(List<UUID> ids, int created, int reused) {
    }

    /**
     * Stores the units in the session's transaction and returns their ids, in the order given.
     * Clears the session afterwards, so callers can stream any number of batches through it.
     */
    public Saved save(Session session, List<NewUnit> units) {
        if (units.isEmpty()) {
            return new Saved(List.of(), 0, 0);
        }
        Map<String, NewUnit> byDigest = new LinkedHashMap<>();
        List<String> digests = new ArrayList<>(units.size());
        for (NewUnit newUnit : units) {
            Content unit = newUnit.unit();
            ContentResource<Content> resource = plugins.resourceOf(unit);
            ContentKey key = resource.naturalKey(unit);
            if (unit.keyDigest() == null) {
                unit.assignIdentity(key);
            }
            checkOwnDigest(resource, newUnit);
            digests.add(unit.keyDigest());
            byDigest.putIfAbsent(unit.keyDigest(), newUnit);
        }
        session.flush();
        Map<String, UUID> existing = session.doReturningWork(c -> lookupByKey(c,
                "select key_digest, id from content where key_digest in ", byDigest.keySet()));

        Map<String, List<Content>> newByType = new LinkedHashMap<>();
        List<NewUnit> created = new ArrayList<>();
        List<NewUnit> reused = new ArrayList<>();
        Map<String, UUID> ids = new HashMap<>(existing);
        for (Map.Entry<String, NewUnit> entry : byDigest.entrySet()) {
            NewUnit newUnit = entry.getValue();
            if (existing.containsKey(entry.getKey())) {
                reused.add(newUnit);
            } else {
                created.add(newUnit);
                newByType.computeIfAbsent(newUnit.unit().typeId(), t -> new ArrayList<>()).add(newUnit.unit());
                ids.put(entry.getKey(), newUnit.unit().id());
            }
        }
        for (Map.Entry<String, List<Content>> type : newByType.entrySet()) {
            insert(session, type.getValue());
        }
        session.flush();
        session.doWork(connection -> writeFiles(connection, created, reused, ids));
        session.clear();
        List<UUID> ordered = new ArrayList<>(digests.size());
        for (String digest : digests) {
            ordered.add(ids.get(digest));
        }
        return new Saved(ordered, created.size(), units.size() - created.size());
    }

    /**
     * Refuses a file whose sha256 differs from the unit's own SHA-256 file digest (a file's
     * sha256), so that no ingest stores a unit with another file than it names; an ingest whose
     * type records another algorithm (an RPM package's sha1 pkgId) checks the bytes itself.
     */
    private static void checkOwnDigest(ContentResource<Content> resource, NewUnit newUnit) {
        if (newUnit.files().stream().allMatch(f -> f.artifact().isEmpty())) {
            return;
        }
        Optional<io.airlock.spi.FileDigest> own = resource.fileDigest(newUnit.unit());
        if (own.isEmpty() || !own.get().isSha256()) {
            return;
        }
        for (UnitFile file : newUnit.files()) {
            if (file.artifact().isPresent() && !file.artifact().get().sha256().equals(own.get().hex())) {
                throw new io.airlock.spi.AirlockException(io.airlock.spi.ErrorCode.CHECKSUM_MISMATCH, "file '"
                        + io.airlock.core.store.RelativePaths.printable(file.relativePath()) + "' of "
                        + io.airlock.core.store.RelativePaths.printable(newUnit.unit().typeId() + ":" + newUnit.unit().label()) + " has SHA-256 " + file.artifact().get().sha256()
                        + ", but the unit's own SHA-256 is " + own.get().hex());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private <T extends Content> void insert(Session session, List<Content> units) {
        ContentResource<T> resource = (ContentResource<T>) plugins.resourceOf(units.get(0));
        resource.insertAll(session, (List<T>) units);
    }

    private static void writeFiles(Connection connection, List<NewUnit> created, List<NewUnit> reused,
            Map<String, UUID> ids) throws SQLException {
        Map<String, StoredArtifact> artifacts = new LinkedHashMap<>();
        for (List<NewUnit> group : List.of(created, reused)) {
            for (NewUnit unit : group) {
                for (UnitFile file : unit.files()) {
                    file.artifact().ifPresent(a -> artifacts.putIfAbsent(a.sha256(), a));
                }
            }
        }
        Map<String, UUID> artifactIds = artifactIds(connection, artifacts);
        try (PreparedStatement link = connection.prepareStatement(
                "insert into content_artifact (id, content_id, relative_path, artifact_id) values (?, ?, ?, ?)")) {
            int pending = 0;
            for (NewUnit unit : created) {
                for (UnitFile file : unit.files()) {
                    link.setObject(1, Ids.next());
                    link.setObject(2, ids.get(unit.unit().keyDigest()));
                    link.setString(3, file.relativePath());
                    link.setObject(4, file.artifact().map(a -> artifactIds.get(a.sha256())).orElse(null));
                    link.addBatch();
                    if (++pending == BATCH_SIZE) {
                        link.executeBatch();
                        pending = 0;
                    }
                }
            }
            if (pending > 0) {
                link.executeBatch();
            }
        }
        try (PreparedStatement fill = connection.prepareStatement("update content_artifact set artifact_id = ?"
                + " where content_id = ? and relative_path = ? and artifact_id is null")) {
            int pending = 0;
            for (NewUnit unit : reused) {
                for (UnitFile file : unit.files()) {
                    if (file.artifact().isPresent()) {
                        fill.setObject(1, artifactIds.get(file.artifact().get().sha256()));
                        fill.setObject(2, ids.get(unit.unit().keyDigest()));
                        fill.setString(3, file.relativePath());
                        fill.addBatch();
                        pending++;
                    }
                }
            }
            if (pending > 0) {
                fill.executeBatch();
            }
        }
    }

    /** Ids of artifact rows for these stored artifacts, creating the missing rows. */
    public static Map<String, UUID> artifactIds(Connection connection, Map<String, StoredArtifact> artifacts)
            throws SQLException {
        Map<String, UUID> found = lookupByKey(connection, "select sha256, id from artifact where sha256 in ", artifacts.keySet());
        try (PreparedStatement insert = connection.prepareStatement("insert into artifact (id, sha256, size) values (?, ?, ?)")) {
            int pending = 0;
            for (StoredArtifact artifact : artifacts.values()) {
                if (!found.containsKey(artifact.sha256())) {
                    UUID id = Ids.next();
                    insert.setObject(1, id);
                    insert.setString(2, artifact.sha256());
                    insert.setLong(3, artifact.size());
                    insert.addBatch();
                    found.put(artifact.sha256(), id);
                    if (++pending == BATCH_SIZE) {
                        insert.executeBatch();
                        pending = 0;
                    }
                }
            }
            if (pending > 0) {
                insert.executeBatch();
            }
        }
        return found;
    }

    /** Runs {@code select key, id … in (…)} over the keys in chunks; returns key → id. */
    public static Map<String, UUID> lookupByKey(Connection connection, String selectIn, Collection<String> keys) throws SQLException {
        Map<String, UUID> found = new HashMap<>();
        List<String> all = new ArrayList<>(keys);
        for (int from = 0; from < all.size(); from += LOOKUP_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + LOOKUP_CHUNK));
            // Pad to a few fixed sizes so the database sees few distinct statements.
            int size = chunk.size() <= 16 ? 16 : chunk.size() <= 128 ? 128 : LOOKUP_CHUNK;
            StringBuilder sql = new StringBuilder(selectIn).append('(');
            for (int i = 0; i < size; i++) {
                sql.append(i == 0 ? "?" : ",?");
            }
            sql.append(')');
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                for (int i = 0; i < size; i++) {
                    statement.setString(i + 1, chunk.get(Math.min(i, chunk.size() - 1)));
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        found.put(rows.getString(1), rows.getObject(2, UUID.class));
                    }
                }
            }
        }
        return found;
    }
}
