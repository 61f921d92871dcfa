package io.airlock.core.content;

import static java.util.Objects.requireNonNull;

import io.airlock.core.db.Jdbc;
import io.airlock.core.db.TwinInsert;
import io.airlock.core.plugin.PluginRegistry;
import io.airlock.core.remote.RemoteFile;
import io.airlock.core.store.ArtifactStore;
import io.airlock.core.store.StoredArtifact;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Cancellation;
import io.airlock.spi.Content;
import io.airlock.spi.ContentKey;
import io.airlock.spi.ContentResource;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.Ids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;

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
    private final ArtifactStore store;
    private final Duration lockTimeout;
    private final Map<Class<? extends Content>, Optional<SubclassRows>> subclassRows = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A writer for the plugins' types recording artifacts of {@code store}, whose lock waits (for
     * concurrent writers of the same units) end after {@code lockTimeout}.
     */
    public ContentWriter(PluginRegistry plugins, ArtifactStore store, Duration lockTimeout) {
        this.plugins = requireNonNull(plugins, "plugins");
        this.store = requireNonNull(store, "store");
        this.lockTimeout = requireNonNull(lockTimeout, "lockTimeout");
    }

    /** A unit to store with its files. */
    public record NewUnit(Content unit, List<UnitFile> files) {
        public NewUnit {
            requireNonNull(unit, "unit");
            files = List.copyOf(files);
        }
    }

    /**
     * A file of a unit: its relative path and the stored artifact, or empty for on demand, and for
     * an on-demand file where it can be downloaded from, when known.
     */
    public record UnitFile(String relativePath, Optional<StoredArtifact> artifact, Optional<RemoteFile> remote) {
        public UnitFile {
            requireNonNull(relativePath, "relativePath");
            requireNonNull(artifact, "artifact");
            requireNonNull(remote, "remote");
            if (artifact.isPresent() && remote.isPresent()) {
                throw new IllegalArgumentException("a stored file has no remote location to remember: " + relativePath);
            }
        }

        /** A stored file, or an on-demand file without a remote location. */
        public UnitFile(String relativePath, Optional<StoredArtifact> artifact) {
            this(relativePath, artifact, Optional.empty());
        }
    }

    /** What {@link #save} did: the id of each given unit, in order, and how many were new. */
    public record Saved(List<UUID> ids, int created, int reused) {
    }

    /**
     * Stores the units in the session's transaction and returns their ids, in the order given.
     * Clears the session afterwards, so callers can stream any number of batches through it.
     *
     * <p>Safe against concurrent writers of the same units: the keys of new units are first claimed
     * in the {@code content} table with an insert that skips a key another transaction holds (after
     * waiting for that transaction to end); only the units whose claim this transaction won are
     * created, the others reuse the winner's row. Lock waits are bounded by the installation's lock
     * timeout.
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
        Map<String, UUID> ids = new HashMap<>(session.doReturningWork(c -> {
            Jdbc.boundLockWaits(c, lockTimeout);
            return lookupByKey(c, "select key_digest, id from content where key_digest in ", byDigest.keySet());
        }));
        List<NewUnit> reused = new ArrayList<>();
        List<NewUnit> candidates = new ArrayList<>();
        for (Map.Entry<String, NewUnit> entry : byDigest.entrySet()) {
            (ids.containsKey(entry.getKey()) ? reused : candidates).add(entry.getValue());
        }
        Cancellation.check("saving content");
        List<NewUnit> created = candidates.isEmpty() ? List.of()
                : session.doReturningWork(c -> claim(c, candidates, ids, reused));
        Map<String, List<Content>> newByType = new LinkedHashMap<>();
        for (NewUnit newUnit : created) {
            newByType.computeIfAbsent(newUnit.unit().typeId(), t -> new ArrayList<>()).add(newUnit.unit());
        }
        for (Map.Entry<String, List<Content>> type : newByType.entrySet()) {
            Cancellation.check("saving content"); // between statements: a batch of large units takes a while
            Optional<SubclassRows> rows = subclassRows(session, type.getValue().get(0));
            if (rows.isPresent()) {
                // The claim's content row stays: the type's own row completes the unit.
                SharedSessionContractImplementor implementor = session.unwrap(SharedSessionContractImplementor.class);
                session.doWork(c -> rows.get().insert(c, implementor, type.getValue(), BATCH_SIZE));
            } else {
                session.doWork(c -> deleteClaims(c, type.getValue()));
                insert(session, type.getValue());
            }
        }
        session.flush();
        Cancellation.check("saving content");
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

    /**
     * Claims the keys of units not found in the {@code content} table and returns the units this
     * transaction creates; a unit whose key a concurrent writer committed first joins
     * {@code reused} with the winner's id. The claim rows are the units' whole {@code content}
     * rows: a type whose own row is plain columns keeps them and adds that row (see
     * {@link SubclassRows}); for any other type they are deleted again so that the resource inserts
     * each unit whole (see {@link #deleteClaims}).
     */
    private List<NewUnit> claim(Connection connection, List<NewUnit> candidates, Map<String, UUID> ids, List<NewUnit> reused)
            throws SQLException {
        List<NewUnit> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparing(u -> u.unit().keyDigest()));
        BitSet won;
        try (TwinInsert claim = TwinInsert.into(connection, "content", List.of("id", "content_type", "label", "key_digest"),
                "key_digest", BATCH_SIZE)) {
            for (NewUnit newUnit : sorted) {
                Content unit = newUnit.unit();
                claim.add(unit.id(), unit.typeId(), unit.label(), unit.keyDigest());
            }
            won = claim.execute();
        }
        List<String> unsure = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            if (!won.get(i)) {
                unsure.add(sorted.get(i).unit().keyDigest());
            }
        }
        Map<String, UUID> winners = unsure.isEmpty() ? Map.of()
                : lookupByKey(connection, "select key_digest, id from content where key_digest in ", unsure);
        List<NewUnit> created = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            Content unit = sorted.get(i).unit();
            UUID winner = won.get(i) ? unit.id() : winners.get(unit.keyDigest());
            if (winner == null) {
                throw new AirlockException(ErrorCode.BUSY, "unit " + unit + " was created and removed again by concurrent"
                        + " operations; nothing was changed, retry");
            }
            ids.put(unit.keyDigest(), winner);
            (winner.equals(unit.id()) ? created : reused).add(sorted.get(i));
        }
        return created;
    }

    /**
     * Deletes the claim rows of units the ORM is about to insert whole. The deleted row keeps the
     * key locked by this transaction until it ends (on H2 and PostgreSQL a writer of the same key
     * waits for a deleting transaction as for an inserting one).
     */
    private static void deleteClaims(Connection connection, List<Content> units) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("delete from content where id = ?")) {
            int pending = 0;
            for (Content unit : units) {
                delete.setObject(1, unit.id());
                delete.addBatch();
                if (++pending == BATCH_SIZE) {
                    delete.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                delete.executeBatch();
            }
        }
    }

    /** The JDBC insert of the unit's type when it is eligible (see {@link SubclassRows}), made once per type. */
    private Optional<SubclassRows> subclassRows(Session session, Content unit) {
        Class<? extends Content> type = org.hibernate.Hibernate.getClass(unit).asSubclass(Content.class);
        return subclassRows.computeIfAbsent(type, t -> usesDefaultInsert(plugins.resourceOf(unit).getClass())
                ? SubclassRows.of(session.getSessionFactory().unwrap(SessionFactoryImplementor.class), t) : Optional.empty());
    }

    /** True when the resource keeps {@link ContentResource#insertAll}'s default (persist each unit as mapped). */
    private static boolean usesDefaultInsert(Class<?> resource) {
        try {
            return resource.getMethod("insertAll", Session.class, List.class).getDeclaringClass() == ContentResource.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private <T extends Content> void insert(Session session, List<Content> units) {
        ContentResource<T> resource = (ContentResource<T>) plugins.resourceOf(units.get(0));
        resource.insertAll(session, (List<T>) units);
    }

    private void writeFiles(Connection connection, List<NewUnit> created, List<NewUnit> reused,
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
        writeRemotes(connection, created, reused, ids);
    }

    /**
     * Records where on-demand files can be downloaded from: the row of a link still without an
     * artifact is replaced (the latest sync's location wins), with two batched statements per file.
     */
    private static void writeRemotes(Connection connection, List<NewUnit> created, List<NewUnit> reused, Map<String, UUID> ids)
            throws SQLException {
        if (created.stream().allMatch(ContentWriter::noRemote) && reused.stream().allMatch(ContentWriter::noRemote)) {
            return;
        }
        try (PreparedStatement delete = connection.prepareStatement("delete from remote_artifact where content_artifact_id in"
                + " (select id from content_artifact where content_id = ? and relative_path = ?)");
                PreparedStatement insert = connection.prepareStatement("insert into remote_artifact"
                        + " (content_artifact_id, url, algorithm, checksum, size) select id, ?, ?, ?, ? from content_artifact"
                        + " where content_id = ? and relative_path = ? and artifact_id is null")) {
            int pending = 0;
            for (List<NewUnit> group : List.of(created, reused)) {
                for (NewUnit unit : group) {
                    for (UnitFile file : unit.files()) {
                        if (file.remote().isEmpty()) {
                            continue;
                        }
                        RemoteFile remote = file.remote().get();
                        UUID content = ids.get(unit.unit().keyDigest());
                        delete.setObject(1, content);
                        delete.setString(2, file.relativePath());
                        delete.addBatch();
                        insert.setString(1, remote.url().toString());
                        insert.setString(2, remote.algorithm());
                        insert.setString(3, remote.checksum());
                        if (remote.size().isPresent()) {
                            insert.setLong(4, remote.size().getAsLong());
                        } else {
                            insert.setNull(4, java.sql.Types.BIGINT);
                        }
                        insert.setObject(5, content);
                        insert.setString(6, file.relativePath());
                        insert.addBatch();
                        if (++pending == BATCH_SIZE) {
                            delete.executeBatch();
                            insert.executeBatch();
                            pending = 0;
                        }
                    }
                }
            }
            if (pending > 0) {
                delete.executeBatch();
                insert.executeBatch();
            }
        }
    }

    private static boolean noRemote(NewUnit unit) {
        return unit.files().stream().allMatch(f -> f.remote().isEmpty());
    }

    /**
     * Ids of artifact rows for these stored artifacts, creating the missing rows. A row a concurrent
     * transaction creates at the same time is waited for and reused, not duplicated. The file of
     * each row created here is checked to be in the store once the row holds its sha256: a failed
     * concurrent writer may have removed a file this one found already stored (see
     * {@link io.airlock.core.Airlock#discardUnrecorded}); then this fails as busy and a retry
     * stores the file again.
     */
    public Map<String, UUID> artifactIds(Connection connection, Map<String, StoredArtifact> artifacts) throws SQLException {
        return artifactIds(connection, artifacts, true);
    }

    /**
     * Like {@link #artifactIds(Connection, Map)}; {@code stored} false skips the check that the
     * files are in the store, for a dry run that records rows it rolls back without storing files.
     */
    public Map<String, UUID> artifactIds(Connection connection, Map<String, StoredArtifact> artifacts, boolean stored)
            throws SQLException {
        Jdbc.boundLockWaits(connection, lockTimeout);
        Map<String, UUID> found = lookupByKey(connection, "select sha256, id from artifact where sha256 in ", artifacts.keySet());
        List<StoredArtifact> missing = new ArrayList<>();
        for (StoredArtifact artifact : artifacts.values()) {
            if (!found.containsKey(artifact.sha256())) {
                missing.add(artifact);
            }
        }
        if (missing.isEmpty()) {
            return found;
        }
        missing.sort(Comparator.comparing(StoredArtifact::sha256));
        List<UUID> mine = new ArrayList<>(missing.size());
        BitSet won;
        try (TwinInsert insert = TwinInsert.into(connection, "artifact", List.of("id", "sha256", "size"), "sha256", BATCH_SIZE)) {
            for (StoredArtifact artifact : missing) {
                UUID id = Ids.next();
                mine.add(id);
                insert.add(id, artifact.sha256(), artifact.size());
            }
            won = insert.execute();
        }
        List<String> unsure = new ArrayList<>();
        for (int i = 0; i < missing.size(); i++) {
            if (won.get(i)) {
                String sha256 = missing.get(i).sha256();
                if (stored && !store.contains(sha256)) {
                    throw new AirlockException(ErrorCode.BUSY, "artifact " + sha256 + " was removed from the store by a"
                            + " concurrent operation that failed; nothing was changed, retry");
                }
                found.put(sha256, mine.get(i));
            } else {
                unsure.add(missing.get(i).sha256());
            }
        }
        if (!unsure.isEmpty()) {
            Map<String, UUID> winners = lookupByKey(connection, "select sha256, id from artifact where sha256 in ", unsure);
            for (String sha256 : unsure) {
                UUID winner = winners.get(sha256);
                if (winner == null) {
                    throw new AirlockException(ErrorCode.BUSY, "artifact " + sha256 + " was recorded and removed again by"
                            + " concurrent operations; nothing was changed, retry");
                }
                found.put(sha256, winner);
            }
        }
        return found;
    }

    /**
     * Of these artifact files, the sha256s a row names or a concurrent transaction is recording:
     * those must be kept. The others are claimed in the {@code artifact} table until the caller's
     * transaction ends (it must roll back), so that nobody records them while their files are removed.
     */
    public java.util.Set<String> claimForRemoval(Connection connection, List<String> sha256s) throws SQLException {
        Jdbc.boundLockWaits(connection, lockTimeout);
        List<String> sorted = new ArrayList<>(sha256s);
        sorted.sort(null);
        BitSet won;
        try (TwinInsert claim = TwinInsert.into(connection, "artifact", List.of("id", "sha256", "size"), "sha256", BATCH_SIZE)) {
            for (String sha256 : sorted) {
                claim.add(Ids.next(), sha256, 0L);
            }
            won = claim.execute();
        }
        java.util.Set<String> keep = new java.util.HashSet<>();
        for (int i = 0; i < sorted.size(); i++) {
            if (!won.get(i)) {
                keep.add(sorted.get(i));
            }
        }
        return keep;
    }

    /**
     * Runs {@code select key, id … in (…)} over the keys in chunks; returns key → id. The key must
     * have a unique index, which PostgreSQL is made to use (see below).
     */
    public static Map<String, UUID> lookupByKey(Connection connection, String selectIn, Collection<String> keys) throws SQLException {
        if (keys.isEmpty()) {
            return new HashMap<>();
        }
        // PostgreSQL plans a statement prepared by the driver once for all its later runs (a generic
        // plan) once those runs' own plans look dearer, and it costs that plan on the table as it was
        // then: in a bulk transaction the table was nearly empty (its new rows have no statistics
        // until commit), so the plan is a sequential scan comparing each row with the 500 keys one by
        // one; at 50,000 rows that is a second per lookup, minutes per import (docs/performance.md,
        // "PostgreSQL import content phase"). A lookup of a few hundred keys by a unique index is
        // right at any table size, so sequential scans are off for these statements.
        return Jdbc.preferringIndexes(connection, () -> lookupChunks(connection, selectIn, keys));
    }

    private static Map<String, UUID> lookupChunks(Connection connection, String selectIn, Collection<String> keys) throws SQLException {
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
