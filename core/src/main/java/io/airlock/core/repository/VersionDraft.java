package io.airlock.core.repository;

import io.airlock.core.db.ScratchSpace;
import io.airlock.core.model.Repository;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Cancellation;
import io.airlock.spi.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;

/**
 * A new version of one repository being put together inside a transaction that holds the
 * repository's row lock. Unit ids given to {@link #add}/{@link #remove} are streamed into a scratch
 * table; {@link #commit()} turns them into membership rows with set-based SQL, so a draft never
 * holds a repository's content in memory.
 *
 * <p>In {@link Mode#MODIFY} the new version is the base version plus the added units minus the
 * removed ones; an added unit replaces a unit of the same type and label. In {@link Mode#REPLACE}
 * the new version is exactly the added units (mirror semantics).
 */
public final class VersionDraft {

    /** How the draft's units relate to the new version. */
    public enum Mode {
        MODIFY,
        REPLACE
    }

    private static final int BATCH = ScratchSpace.BATCH;
    private static final String TABLE = "version_draft_unit";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(VersionDraft.class);

    private final Session session;
    private final Repository repository;
    private final int latest;
    private final int base;
    private final Mode mode;
    private final ScratchSpace scratch;
    /** The id of the draft's scratch rows, registered at the first one. */
    private UUID draftId;
    private final List<ReferenceColumns.Column> references;
    private boolean committed;
    /** Whether the retention deleted versions, which recounts the new version's changes. */
    private boolean trimmed;

    VersionDraft(Session session, ScratchSpace scratch, Repository repository, int latest, int base, Mode mode,
            List<ReferenceColumns.Column> references) {
        this.scratch = scratch;
        this.references = references;
        this.session = session;
        this.repository = repository;
        this.latest = latest;
        this.base = base;
        this.mode = mode;
    }

    public Repository repository() {
        return repository;
    }

    /** Number of the version the draft starts from (in {@link Mode#MODIFY}). */
    public int base() {
        return base;
    }

    /** Number the version will get if anything changes. */
    public int number() {
        return latest + 1;
    }

    public VersionDraft add(Collection<UUID> contentIds) {
        stage('A', contentIds);
        return this;
    }

    public VersionDraft remove(Collection<UUID> contentIds) {
        checkModifying();
        stage('R', contentIds);
        return this;
    }

    /**
     * Adds the units a query selects: {@code select} returns one column of content ids and takes
     * the given parameters. Lets an engine add units it has staged in SQL without reading them out.
     */
    public VersionDraft addSelected(String select, Object... parameters) {
        return stageSelected('A', select, parameters);
    }

    /** Removes the units a query selects, as {@link #addSelected} adds them; in {@link Mode#MODIFY} only. */
    public VersionDraft removeSelected(String select, Object... parameters) {
        checkModifying();
        return stageSelected('R', select, parameters);
    }

    private void checkModifying() {
        if (mode == Mode.REPLACE) {
            throw new IllegalStateException("a replacing draft takes only the units to keep");
        }
    }

    private VersionDraft stageSelected(char op, String select, Object... parameters) {
        checkOpen();
        checkCancelled();
        session.flush();
        long start = System.nanoTime();
        long rows = scratch.insertSelected(table(), "draft_id, op, content_id", new Object[] {id(), String.valueOf(op)}, select,
                parameters);
        LOG.debug("{} rows in {} ms: staged selected units ({})", rows, (System.nanoTime() - start) / 1_000_000, op);
        return this;
    }

    private UUID id() {
        if (draftId == null) {
            draftId = scratch.newId();
        }
        return draftId;
    }

    /** The table of this draft's staged units: {@code version_draft_unit} or one of the draft's own (see {@link ScratchSpace#table}). */
    private String table() {
        return scratch.table(TABLE, id());
    }

    /** {@code statement} with the draft's own table in place of {@code version_draft_unit}. */
    private String sql(String statement) {
        return statement.replace(TABLE, table());
    }

    private void stage(char op, Collection<UUID> contentIds) {
        checkOpen();
        if (contentIds.isEmpty()) {
            return;
        }
        session.flush();
        UUID id = id();
        session.doWork(main -> {
            Connection connection = scratch.writer();
            try (PreparedStatement insert = connection.prepareStatement(
                    sql("insert into version_draft_unit (draft_id, op, content_id) values (?, ?, ?)"))) {
                int pending = 0;
                for (UUID unit : contentIds) {
                    insert.setObject(1, id);
                    insert.setString(2, String.valueOf(op));
                    insert.setObject(3, unit);
                    insert.addBatch();
                    if (++pending == BATCH) {
                        insert.executeBatch();
                        scratch.wrote(TABLE, pending, false);
                        pending = 0;
                        checkCancelled();
                    }
                }
                if (pending > 0) {
                    insert.executeBatch();
                }
                scratch.wrote(TABLE, pending, true);
            }
        });
    }

    /**
     * Creates the version, or nothing when its content would equal the latest version's. Checks
     * that every staged unit exists, belongs to the repository's family and that no two added
     * units share a label.
     */
    public Optional<RepositoryVersion> commit() {
        checkOpen();
        checkCancelled();
        committed = true;
        session.flush();
        Optional<RepositoryVersion> made = session.doReturningWork(this::apply);
        return trimmed ? made.map(v -> session.get(RepositoryVersion.class, v.id())) : made;
    }

    private Optional<RepositoryVersion> apply(Connection connection) throws SQLException {
        id(); // a draft with nothing staged registers its id here
        try {
            scratch.beforeRead(TABLE);
            validate(connection);
            checkCancelled();
            int next = latest + 1;
            long removed;
            long added;
            if (mode == Mode.MODIFY && base == latest) {
                removed = update(connection, sql("""
                        update repository_content set version_removed = ?
                         where repository_id = ? and version_removed is null and content_id in (
                               select s.content_id from version_draft_unit s where s.draft_id = ? and s.op = 'R'
                               union
                               select old.id from version_draft_unit s
                                 join content neu on neu.id = s.content_id
                                 join content old on old.content_type = neu.content_type and old.label = neu.label
                                where s.draft_id = ? and s.op = 'A' and old.id <> neu.id)"""),
                        next, repository.id(), draftId, draftId);
                added = update(connection, sql("""
                        insert into repository_content (repository_id, content_id, version_added, version_removed)
                        select distinct ?, s.content_id, ?, cast(null as integer) from version_draft_unit s
                         where s.draft_id = ? and s.op = 'A'
                           and not exists (select 1 from version_draft_unit r
                                            where r.draft_id = ? and r.op = 'R' and r.content_id = s.content_id)
                           and not exists (select 1 from repository_content p
                                            where p.repository_id = ? and p.content_id = s.content_id
                                              and p.version_removed is null)"""),
                        repository.id(), next, draftId, draftId, repository.id());
            } else {
                char desired = 'A';
                if (mode == Mode.MODIFY) {
                    // The base is an older version: write the whole desired membership down first.
                    desired = 'D';
                    // Selected in the main transaction (which may have changed the membership), written by the scratch connection.
                    scratch.insertSelected(table(), "draft_id, op, content_id", new Object[] {draftId, "D"}, sql("""
                            select m.content_id from repository_content m
                             where m.repository_id = ? and m.version_added <= ?
                               and (m.version_removed is null or m.version_removed > ?)
                               and not exists (select 1 from version_draft_unit r
                                                where r.draft_id = ? and r.op = 'R' and r.content_id = m.content_id)
                               and not exists (select 1 from version_draft_unit s
                                                 join content neu on neu.id = s.content_id
                                                 join content old on old.content_type = neu.content_type
                                                                 and old.label = neu.label
                                                where s.draft_id = ? and s.op = 'A' and old.id = m.content_id
                                                  and old.id <> neu.id)"""),
                            repository.id(), base, base, draftId, draftId);
                    update(scratch.writer(), sql("""
                            insert into version_draft_unit (draft_id, op, content_id)
                            select ?, 'D', s.content_id from version_draft_unit s
                             where s.draft_id = ? and s.op = 'A'
                               and not exists (select 1 from version_draft_unit r
                                                where r.draft_id = ? and r.op = 'R' and r.content_id = s.content_id)"""),
                            draftId, draftId, draftId);
                    scratch.commit();
                    scratch.beforeRead(TABLE);
                }
                String op = String.valueOf(desired);
                removed = update(connection, sql("""
                        update repository_content set version_removed = ?
                         where repository_id = ? and version_removed is null
                           and not exists (select 1 from version_draft_unit s
                                            where s.draft_id = ? and s.op = ? and s.content_id = repository_content.content_id)"""),
                        next, repository.id(), draftId, op);
                added = update(connection, sql("""
                        insert into repository_content (repository_id, content_id, version_added, version_removed)
                        select distinct ?, s.content_id, ?, cast(null as integer) from version_draft_unit s
                         where s.draft_id = ? and s.op = ?
                           and not exists (select 1 from repository_content p
                                            where p.repository_id = ? and p.content_id = s.content_id
                                              and p.version_added < ? and p.version_removed is null)"""),
                        repository.id(), next, draftId, op, repository.id(), next);
            }
            if (added == 0 && removed == 0) {
                return Optional.empty();
            }
            checkCancelled();
            long count = queryLong(connection,
                    "select content_count from repository_version where repository_id = ? and number = ?",
                    repository.id(), latest) + added - removed;
            RepositoryVersion version = new RepositoryVersion(repository.id(), next, base, Instant.now(), count, added, removed);
            update(connection, """
                    insert into repository_version (id, repository_id, number, base_number, created, complete,
                                                    content_count, added_count, removed_count)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    version.id(), repository.id(), next, base, java.sql.Timestamp.from(version.created()), true,
                    count, added, removed);
            update(connection, "update repository set latest_version = ? where id = ?", next, repository.id());
            checkReferences(connection, next);
            if (repository.retainVersions().isPresent()) {
                // Every engine's new version passes here: the retention applies in the same transaction.
                trimmed = !VersionDeletion.retain(connection, repository.id(), repository.retainVersions().getAsInt()).isEmpty();
            }
            return Optional.of(version);
        } finally {
            scratch.release(TABLE, "draft_id", draftId);
        }
    }

    private void validate(Connection connection) throws SQLException {
        long start = System.nanoTime();
        try {
            checkUnits(connection);
        } finally {
            LOG.debug("validated draft of {} in {} ms", repository.name(), (System.nanoTime() - start) / 1_000_000);
        }
    }

    private void checkUnits(Connection connection) throws SQLException {
        try (PreparedStatement missing = connection.prepareStatement(sql("""
                select s.content_id from version_draft_unit s
                 where s.draft_id = ? and not exists (select 1 from content c where c.id = s.content_id)"""))) {
            missing.setObject(1, draftId);
            missing.setMaxRows(1);
            try (ResultSet rows = missing.executeQuery()) {
                if (rows.next()) {
                    throw new AirlockException(ErrorCode.NOT_FOUND, "content unit " + rows.getObject(1) + " does not exist");
                }
            }
        }
        try (PreparedStatement foreign = connection.prepareStatement(sql("""
                select c.content_type, c.label from version_draft_unit s join content c on c.id = s.content_id
                 where s.draft_id = ? and s.op = 'A' and c.content_type not like ?"""))) {
            foreign.setObject(1, draftId);
            foreign.setString(2, repository.family() + ".%");
            foreign.setMaxRows(1);
            try (ResultSet rows = foreign.executeQuery()) {
                if (rows.next()) {
                    throw new AirlockException(ErrorCode.CONFLICT, "unit " + rows.getString(1) + ":" + rows.getString(2)
                            + " cannot be added to " + repository.family() + " repository '" + repository.name() + "'");
                }
            }
        }
        // Probed per staged unit through the (type, label) index rather than grouped: a GROUP BY
        // over every staged unit holds all groups in memory, which a large import cannot afford.
        try (PreparedStatement clash = connection.prepareStatement(sql("""
                select a.content_type, a.label from version_draft_unit s join content a on a.id = s.content_id
                 where s.draft_id = ? and s.op = 'A'
                   and exists (select 1 from content b join version_draft_unit t on t.content_id = b.id
                                where b.content_type = a.content_type and b.label = a.label and b.id <> a.id
                                  and t.draft_id = s.draft_id and t.op = 'A')"""))) {
            clash.setObject(1, draftId);
            clash.setMaxRows(1);
            try (ResultSet rows = clash.executeQuery()) {
                if (rows.next()) {
                    throw new AirlockException(ErrorCode.INVALID_INPUT, "two different units labelled "
                            + rows.getString(1) + ":" + rows.getString(2) + " cannot both be in repository '"
                            + repository.name() + "'");
                }
            }
        }
    }

    /** A unit staged because a unit in the draft refers to it. */
    public record Referenced(UUID id, String type, String label, String referrer) {
    }

    /**
     * Stages every unit that a staged unit refers to and that is neither staged nor in the base
     * version, and what those refer to in turn (in {@link Mode#MODIFY}); returns them with the unit
     * ({@code TYPE:LABEL}) that referred to each. Nothing to do for types without references.
     */
    public List<Referenced> addReferenced() {
        checkOpen();
        List<Referenced> brought = new ArrayList<>();
        if (references.isEmpty()) {
            return brought;
        }
        session.flush();
        session.doWork(connection -> {
            for (boolean more = true; more; ) {
                more = false;
                for (ReferenceColumns.Column reference : references) {
                    checkCancelled();
                    scratch.beforeRead(TABLE);
                    List<Referenced> found = new ArrayList<>();
                    try (PreparedStatement query = connection.prepareStatement(sql("select distinct x." + reference.column()
                            + ", t.content_type, t.label, c.content_type, c.label from version_draft_unit s"
                            + " join " + reference.table() + " x on x.id = s.content_id"
                            + " join content c on c.id = s.content_id join content t on t.id = x." + reference.column()
                            + " where s.draft_id = ? and s.op = 'A'"
                            + " and not exists (select 1 from version_draft_unit d where d.draft_id = s.draft_id and d.op = 'A'"
                            + " and d.content_id = x." + reference.column() + ")"
                            + (mode == Mode.MODIFY ? " and not exists (select 1 from repository_content m where m.repository_id = ?"
                                    + " and m.content_id = x." + reference.column() + " and m.version_added <= ?"
                                    + " and (m.version_removed is null or m.version_removed > ?))" : "")))) {
                        bind(query, mode == Mode.MODIFY ? new Object[] {id(), repository.id(), base, base} : new Object[] {id()});
                        try (ResultSet rows = query.executeQuery()) {
                            while (rows.next()) {
                                found.add(new Referenced(rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3),
                                        rows.getString(4) + ":" + rows.getString(5)));
                            }
                        }
                    }
                    if (!found.isEmpty()) {
                        stage('A', found.stream().map(Referenced::id).distinct().toList());
                        brought.addAll(found);
                        more = true;
                    }
                }
            }
        });
        return brought;
    }

    /**
     * Refuses the new version when one of its units refers to a unit that is not in it: exported,
     * the far side could not import it.
     */
    private void checkReferences(Connection connection, int version) throws SQLException {
        for (ReferenceColumns.Column reference : references) {
            try (PreparedStatement query = connection.prepareStatement("select c.content_type, c.label, t.content_type, t.label"
                    + " from repository_content m join " + reference.table() + " x on x.id = m.content_id"
                    + " join content c on c.id = m.content_id join content t on t.id = x." + reference.column()
                    + " where m.repository_id = ? and m.version_added <= ? and (m.version_removed is null or m.version_removed > ?)"
                    + " and not exists (select 1 from repository_content n where n.repository_id = m.repository_id"
                    + " and n.content_id = x." + reference.column() + " and n.version_added <= ?"
                    + " and (n.version_removed is null or n.version_removed > ?))")) {
                bind(query, repository.id(), version, version, version, version);
                query.setMaxRows(1);
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next()) {
                        throw new AirlockException(ErrorCode.CONFLICT, "unit " + rows.getString(1) + ":" + rows.getString(2)
                                + " refers to " + rows.getString(3) + ":" + rows.getString(4) + ", which would not be in version "
                                + version + " of repository '" + repository.name() + "'; add it too");
                    }
                }
            }
        }
    }

    private void checkCancelled() {
        Cancellation.check("new version of " + repository.name());
    }

    private void checkOpen() {
        if (committed) {
            throw new IllegalStateException("draft of " + repository.name() + " already committed");
        }
    }

    static long update(Connection connection, String sql, Object... parameters) throws SQLException {
        long start = System.nanoTime();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            long rows = statement.executeLargeUpdate();
            if (LOG.isDebugEnabled()) {
                String oneLine = sql.replaceAll("\\s+", " ");
                LOG.debug("{} rows in {} ms: {}", rows, (System.nanoTime() - start) / 1_000_000,
                        oneLine.substring(0, Math.min(90, oneLine.length())));
            }
            return rows;
        }
    }

    static long queryLong(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException("no row for " + sql);
                }
                return rows.getLong(1);
            }
        }
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
    }
}
