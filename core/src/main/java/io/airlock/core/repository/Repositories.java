package io.airlock.core.repository;

import io.airlock.core.Airlock;
import io.airlock.core.db.Jdbc;
import io.airlock.core.model.Repository;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Cancellation;
import io.airlock.spi.Content;
import io.airlock.spi.ContentType;
import io.airlock.spi.ErrorCode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.hibernate.Session;

/**
 * Repositories and their versions: create, list, read a version's content or the difference of
 * two versions (streamed in batches), and create new versions through a {@link VersionDraft}.
 */
public final class Repositories {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");

    private final Airlock airlock;
    /** Built on first use: it reads the ORM's metamodel, which short read-only commands never build. */
    private volatile ReferenceColumns references;

    public Repositories(Airlock airlock) {
        this.airlock = airlock;
    }

    /** Creates a repository with its empty version 0; refuses a taken name or an unknown family. */
    public Repository create(String name, String family, String description) {
        return airlock.inTransaction(session -> create(session, name, family, description));
    }

    /** Creates a repository inside the caller's transaction. */
    public Repository create(Session session, String name, String family, String description) {
        checkName(name);
        if (!airlock.plugins().families().contains(family)) {
            throw new AirlockException(ErrorCode.NOT_FOUND, "unknown repository type '" + family + "' (installed: "
                    + String.join(", ", airlock.plugins().families()) + ")");
        }
        if (find(session, name).isPresent()) {
            throw new AirlockException(ErrorCode.CONFLICT, "repository '" + name + "' already exists");
        }
        Repository repository = new Repository(name, family, description);
        session.doWork(connection -> Jdbc.boundLockWaits(connection, airlock.lockTimeout()));
        try {
            session.persist(repository);
            session.persist(new RepositoryVersion(repository.id(), 0, null, Instant.now(), 0, 0, 0));
            session.flush();
        } catch (RuntimeException e) {
            if (Jdbc.isUniqueViolation(e)) {
                // The only key a new repository can share is its name: a concurrent transaction created it first.
                throw new AirlockException(ErrorCode.BUSY, "repository '" + name + "' was created by a concurrent operation"
                        + " at the same time; nothing was changed, retry", e);
            }
            AirlockException busy = Jdbc.busy(e, "repository '" + name + "'", airlock.lockTimeout());
            throw busy != null ? busy : e;
        }
        return repository;
    }

    public Optional<Repository> find(String name) {
        return airlock.inTransaction(session -> find(session, name));
    }

    public Optional<Repository> find(Session session, String name) {
        return session.createSelectionQuery("from Repository where name = :name", Repository.class)
                .setParameter("name", name)
                .uniqueResultOptional();
    }

    /** The repository of that name; {@code NOT_FOUND} naming it otherwise. */
    public Repository get(String name) {
        return airlock.inTransaction(session -> get(session, name));
    }

    public Repository get(Session session, String name) {
        return find(session, name).orElseThrow(() -> notFound(name));
    }

    /** Every repository, by name. Plain JDBC: listing never builds the ORM. */
    public List<Repository> list() {
        return airlock.readOnly(connection -> {
            try (PreparedStatement select = connection.prepareStatement(REPOSITORY_COLUMNS + " order by name")) {
                return repositories(select);
            }
        });
    }

    /** A repository's versions, by number; {@code NOT_FOUND} naming it when there is none. Plain JDBC. */
    public List<RepositoryVersion> versions(String name) {
        return airlock.readOnly(connection -> {
            Repository repository;
            try (PreparedStatement select = connection.prepareStatement(REPOSITORY_COLUMNS + " where name = ?")) {
                select.setString(1, name);
                repository = repositories(select).stream().findFirst().orElseThrow(() -> notFound(name));
            }
            List<RepositoryVersion> versions = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("select id, number, base_number, created, complete,"
                    + " content_count, added_count, removed_count from repository_version where repository_id = ? order by number")) {
                select.setObject(1, repository.id());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        versions.add(RepositoryVersion.ofRow(rows.getObject(1, UUID.class), repository.id(), rows.getInt(2),
                                (Integer) rows.getObject(3, Integer.class), rows.getObject(4, OffsetDateTime.class).toInstant(),
                                rows.getBoolean(5), rows.getLong(6), rows.getLong(7), rows.getLong(8)));
                    }
                }
            }
            return versions;
        });
    }

    private ReferenceColumns references() {
        ReferenceColumns columns = references;
        if (columns == null) {
            columns = new ReferenceColumns(airlock.sessionFactory(), airlock.plugins()); // idempotent: a race builds it twice
            references = columns;
        }
        return columns;
    }

    private static AirlockException notFound(String name) {
        return new AirlockException(ErrorCode.NOT_FOUND, "no repository named '" + name + "'");
    }

    private static final String REPOSITORY_COLUMNS =
            "select id, name, family, description, latest_version, retain_versions from repository";

    private static List<Repository> repositories(PreparedStatement select) throws SQLException {
        List<Repository> found = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                found.add(Repository.ofRow(rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3), rows.getString(4),
                        rows.getInt(5), rows.getObject(6, Integer.class)));
            }
        }
        return found;
    }

    /** The version a reference names (the latest when it has no number). */
    public RepositoryVersion version(VersionRef ref) {
        return airlock.inTransaction(session -> version(session, ref));
    }

    public RepositoryVersion version(Session session, VersionRef ref) {
        Repository repository = get(session, ref.repository());
        int number = ref.number().orElse(repository.latestVersion());
        return session.createSelectionQuery(
                        "from RepositoryVersion where repositoryId = :r and number = :n", RepositoryVersion.class)
                .setParameter("r", repository.id())
                .setParameter("n", number)
                .uniqueResultOptional()
                .orElseThrow(() -> new AirlockException(ErrorCode.NOT_FOUND, "repository '" + repository.name()
                        + "' has no version " + number + " (latest is " + repository.latestVersion() + ")"));
    }

    /**
     * The version, locked against deletion until the caller's transaction ends: what a copy, export
     * or download takes on every version it reads. Readers do not block each other on PostgreSQL
     * (on H2, which has no shared row locks, two readers of one version take turns); a deletion of
     * the version or its repository meanwhile is refused as {@code BUSY}, and retention leaves the
     * version for a later pass. Waits at most the lock timeout for a deletion in progress, after
     * which the version may be gone ({@code NOT_FOUND}).
     */
    public RepositoryVersion versionForReading(Session session, VersionRef ref) {
        RepositoryVersion version = version(session, ref);
        VersionRef pinned = VersionRef.of(ref.repository(), version.number());
        try {
            session.doWork(connection -> VersionLocks.lockForReading(connection, version.id(), airlock.lockTimeout(),
                    "waiting to read " + pinned));
        } catch (RuntimeException e) {
            AirlockException busy = Jdbc.busy(e, pinned.toString(), airlock.lockTimeout());
            throw busy != null ? busy : e;
        }
        // Deleted while this waited for a deletion to commit: read again, NOT_FOUND naming it.
        session.detach(version);
        return version(session, pinned);
    }

    /**
     * Streams the units of a version in batches of at most {@code batchSize}, ordered by id; only
     * units of {@code type} when given. The session is cleared between batches, so memory stays flat.
     */
    public void scanContent(RepositoryVersion version, Optional<String> type, int batchSize, Consumer<List<Content>> batches) {
        scan(version, null, type, batchSize, batches);
    }

    /**
     * Streams the units of {@code type} in a version inside the caller's transaction, in batches of at
     * most {@code batchSize} ordered by id. The units are read through a session that shares the
     * caller's connection and is cleared after each batch: they are detached once the consumer
     * returns, and the caller's session is left as it was.
     */
    public <T extends Content> void scanContent(Session session, RepositoryVersion version, Class<T> type, int batchSize,
            Consumer<List<T>> batches) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size " + batchSize);
        }
        String entity = airlock.sessionFactory().getMetamodel().entity(type).getName();
        String hql = "select c from RepositoryContent rc join " + entity + " c on c.id = rc.key.contentId"
                + " where " + VersionMembership.hql("rc", ":r", ":n") + " and rc.key.contentId > :after order by rc.key.contentId";
        session.flush();
        try (Session reader = session.sessionWithOptions().connection().openSession()) {
            reader.setDefaultReadOnly(true);
            UUID after = new UUID(0L, 0L);
            while (true) {
                List<T> batch = reader.createSelectionQuery(hql, type)
                        .setParameter("r", version.repositoryId())
                        .setParameter("n", version.number())
                        .setParameter("after", after)
                        .setMaxResults(batchSize)
                        .getResultList();
                if (batch.isEmpty()) {
                    break;
                }
                batches.accept(batch);
                after = batch.get(batch.size() - 1).id();
                reader.clear();
                if (batch.size() < batchSize) {
                    break;
                }
                Cancellation.check("reading version " + version.number());
            }
        }
    }

    /** Streams the units in {@code to} that are not in {@code from} (versions of any repositories). */
    public void scanAdded(RepositoryVersion from, RepositoryVersion to, Optional<String> type, int batchSize,
            Consumer<List<Content>> batches) {
        scan(to, from, type, batchSize, batches);
    }

    /** Counts a version's units, of one type when given. */
    public long countContent(RepositoryVersion version, Optional<String> type) {
        return airlock.inTransaction(session -> session.createSelectionQuery(
                        "select count(*) from RepositoryContent rc join " + entityName(type) + " c on c.id = rc.key.contentId"
                                + " where " + VersionMembership.hql("rc", ":r", ":n"), Long.class)
                .setParameter("r", version.repositoryId())
                .setParameter("n", version.number())
                .getSingleResult());
    }

    private void scan(RepositoryVersion in, RepositoryVersion notIn, Optional<String> type, int batchSize,
            Consumer<List<Content>> batches) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size " + batchSize);
        }
        String hql = "select c from RepositoryContent rc join " + entityName(type) + " c on c.id = rc.key.contentId"
                + " where " + VersionMembership.hql("rc", ":r", ":n") + " and rc.key.contentId > :after"
                + (notIn == null ? "" : " and not exists (select 1 from RepositoryContent x where x.key.contentId = rc.key.contentId"
                        + " and " + VersionMembership.hql("x", ":r2", ":n2") + ")")
                + " order by rc.key.contentId";
        airlock.inRolledBackTransaction(session -> {
            session.setDefaultReadOnly(true);
            UUID after = new UUID(0L, 0L); // databases order uuids as unsigned bytes
            while (true) {
                var query = session.createSelectionQuery(hql, Content.class)
                        .setParameter("r", in.repositoryId())
                        .setParameter("n", in.number())
                        .setParameter("after", after)
                        .setMaxResults(batchSize);
                if (notIn != null) {
                    query.setParameter("r2", notIn.repositoryId()).setParameter("n2", notIn.number());
                }
                List<Content> batch = query.getResultList();
                if (batch.isEmpty()) {
                    break;
                }
                batches.accept(batch);
                after = batch.get(batch.size() - 1).id();
                session.clear();
                if (batch.size() < batchSize) {
                    break;
                }
                Cancellation.check("reading version " + in.number());
            }
            return null;
        });
    }

    private String entityName(Optional<String> type) {
        if (type.isEmpty()) {
            return "Content";
        }
        ContentType<?> contentType = airlock.plugins().contentType(type.get()).orElseThrow(() ->
                new AirlockException(ErrorCode.NOT_FOUND, "unknown content type '" + type.get() + "'"));
        return airlock.sessionFactory().getMetamodel().entity(contentType.entityClass()).getName();
    }

    /**
     * Opens a draft of a new version inside the caller's transaction, taking the repository's row
     * lock (so concurrent writers, in this process or another, queue up). {@code base} defaults to
     * the latest version; it is ignored in {@link VersionDraft.Mode#REPLACE}.
     */
    public VersionDraft draft(Session session, String repositoryName, VersionDraft.Mode mode, OptionalInt base) {
        Repository found = lock(session, repositoryName);
        int latest = found.latestVersion();
        int baseNumber = base.orElse(latest);
        if (baseNumber != latest) {
            version(session, VersionRef.of(repositoryName, baseNumber)); // NOT_FOUND naming it when there is none
        }
        return new VersionDraft(session, airlock.scratch(session), found, latest, baseNumber, mode, references().of(found.family()));
    }

    /**
     * The repository, read again after taking its row lock inside the caller's transaction: the lock
     * every change of a repository's versions takes, so concurrent writers (in this process or
     * another) queue up.
     */
    private Repository lock(Session session, String repositoryName) {
        Repository found = get(session, repositoryName);
        // Lock and re-read: the latest version number may have moved while we waited for the lock.
        String what = "waiting for repository '" + repositoryName + "'";
        try {
            session.doWork(connection -> Jdbc.lockRow(connection, "select id from repository where id = ? for update",
                    airlock.lockTimeout(), what, found.id()));
            session.refresh(found);
        } catch (RuntimeException e) {
            AirlockException busy = Jdbc.busy(e, "repository '" + repositoryName + "'", airlock.lockTimeout());
            throw busy != null ? busy : e;
        }
        return found;
    }

    /**
     * Deletes a repository: its versions, membership rows and export records, in one transaction
     * under its row lock (it waits for a version being built). Refused as {@code BUSY}, changing
     * nothing, while a copy, export or download reads one of its versions (see
     * {@link #versionForReading}). Its content and artifacts stay until {@link Airlock#cleanup}
     * removes what no version holds any more.
     */
    public void delete(String name) {
        airlock.inTransaction(session -> {
            Repository repository = lock(session, name);
            session.doWork(connection -> {
                Set<Integer> held = VersionLocks.lockForDeletion(connection, repository.id(), VersionDeletion.numbers(connection, repository.id()),
                        List.of());
                if (!held.isEmpty()) {
                    throw VersionLocks.beingRead(name, held, "repository '" + name + "' cannot be deleted now");
                }
                for (String table : List.of("repository_content", "repository_version", "export_record")) {
                    VersionDraft.update(connection, "delete from " + table + " where repository_id = ?", repository.id());
                }
            });
            session.remove(repository);
            return null;
        });
    }

    /**
     * Deletes one version other than the latest, as Pulp squashes it: every other version keeps its
     * number and content (the next one takes over what the deleted one added). Version 0 too, when it
     * is not the latest. {@code ref} must name the version.
     */
    public void deleteVersion(VersionRef ref) {
        if (ref.number().isEmpty()) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, "name the version to delete: " + ref.repository() + "@N");
        }
        airlock.inTransaction(session -> {
            Repository repository = lock(session, ref.repository());
            int number = ref.number().getAsInt();
            RepositoryVersion version = version(session, ref);
            if (number == repository.latestVersion()) {
                throw new AirlockException(ErrorCode.CONFLICT, "version " + number + " is the latest version of repository '"
                        + repository.name() + "' and cannot be deleted (delete the repository, or make a new version first)");
            }
            session.detach(version);
            session.doWork(connection -> {
                Set<Integer> held = VersionLocks.lockForDeletion(connection, repository.id(), List.of(number),
                        List.of(VersionDeletion.successor(connection, repository.id(), number)));
                if (!held.isEmpty()) {
                    throw VersionLocks.beingRead(repository.name(), held, "version " + number + " of repository '"
                            + repository.name() + "' cannot be deleted now");
                }
                VersionDeletion.delete(connection, repository.id(), number);
            });
            return null;
        });
    }

    /** What {@link #update} changes; an unset field stays as it is. */
    public static final class Update {
        private Optional<String> description = Optional.empty();
        private Optional<OptionalInt> retainVersions = Optional.empty();

        /** A new description; an empty one removes it. */
        public Update description(String description) {
            if (description.length() > 4000) {
                throw new AirlockException(ErrorCode.INVALID_INPUT, "a description has at most 4000 characters, not "
                        + description.length());
            }
            this.description = Optional.of(description);
            return this;
        }

        /** Keep the newest {@code count} versions (at least 1); older ones are deleted when a version is made. */
        public Update retainVersions(int count) {
            if (count < 1) {
                throw new AirlockException(ErrorCode.INVALID_INPUT, "retain_versions must be at least 1, not " + count);
            }
            this.retainVersions = Optional.of(OptionalInt.of(count));
            return this;
        }

        /** Keep every version. */
        public Update retainAllVersions() {
            this.retainVersions = Optional.of(OptionalInt.empty());
            return this;
        }
    }

    /**
     * Changes a repository's settings under its row lock. A retention applies at once too: the
     * oldest versions beyond it are deleted in the same transaction.
     */
    public Repository update(String name, Update update) {
        return airlock.inTransaction(session -> {
            Repository repository = lock(session, name);
            session.doWork(connection -> {
                if (update.description.isPresent()) {
                    String description = update.description.get();
                    VersionDraft.update(connection, "update repository set description = ? where id = ?",
                            description.isEmpty() ? null : description, repository.id());
                }
                if (update.retainVersions.isPresent()) {
                    OptionalInt retain = update.retainVersions.get();
                    VersionDraft.update(connection, "update repository set retain_versions = ? where id = ?",
                            retain.isPresent() ? retain.getAsInt() : null, repository.id());
                    if (retain.isPresent()) {
                        VersionDeletion.retain(connection, repository.id(), retain.getAsInt());
                    }
                }
            });
            session.refresh(repository);
            return repository;
        });
    }

    /** Creates a version in its own transaction; empty when nothing changed. */
    public Optional<RepositoryVersion> modify(String repositoryName, OptionalInt base, Consumer<VersionDraft> edits) {
        return airlock.inTransaction(session -> {
            VersionDraft draft = draft(session, repositoryName, VersionDraft.Mode.MODIFY, base);
            edits.accept(draft);
            return draft.commit();
        });
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, "'" + name + "' is not a valid repository name "
                    + "(letters, digits, '.', '_' and '-', starting with a letter or digit)");
        }
    }
}
