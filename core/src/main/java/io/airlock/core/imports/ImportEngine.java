package io.airlock.core.imports;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airlock.core.Airlock;
import io.airlock.core.archive.ArchiveReader;
import io.airlock.core.archive.ArchiveScanner;
import io.airlock.core.archive.Manifest;
import io.airlock.core.content.ContentWriter;
import io.airlock.core.content.ContentWriter.NewUnit;
import io.airlock.core.db.Jdbc;
import io.airlock.core.db.ScratchSpace;
import io.airlock.core.model.Repository;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.repository.VersionDraft;
import io.airlock.core.store.ArtifactBatch;
import io.airlock.core.store.StagingDirectory;
import io.airlock.core.store.Sha256;
import io.airlock.core.store.SortedSpool;
import io.airlock.core.store.StoredArtifact;
import io.airlock.core.trust.TrustedKeys;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Cancellation;
import io.airlock.spi.Content;
import io.airlock.spi.ContentKey;
import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ContentResource;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.FileDigest;
import io.airlock.spi.ProgressListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Imports an export in one streaming pass and one transaction: artifacts are streamed into the
 * store with their sha256 verified, units are matched by natural key (existing ones reused), and
 * each destination gets a version equal to the exported membership. Any failure rolls everything
 * back and removes the artifact files this import wrote; a dry run does all the checks and
 * changes nothing.
 */
public final class ImportEngine {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ImportEngine.class);

    private static final int BATCH = ContentWriter.BATCH_SIZE;
    /** Bytes of paths a version's path check sorts in memory before it writes a sorted run to disk. */
    private static final long PATH_SORT_BUDGET = 8 << 20;
    /** The scratch table of an import's keys (see {@link ScratchSpace}). */
    private static final String KEYS = "import_key";

    private final Airlock airlock;

    public ImportEngine(Airlock airlock) {
        this.airlock = requireNonNull(airlock, "airlock");
    }

    /**
     * Runs the import (or its dry run). Interrupting the thread cancels it within about a second:
     * it ends with {@link ErrorCode#CANCELLED} (whatever failure the interrupt caused inside) and
     * leaves no version, rows or artifact files.
     */
    public ImportResult importArchive(ImportRequest request, ProgressListener progress) {
        return Cancellation.guard("import", () -> run(request, progress));
    }

    private ImportResult run(ImportRequest request, ProgressListener progress) {
        // With trusted keys, the signature is checked before anything else is read or written.
        Optional<TrustedKeys.SignedToc> signed = ArchiveVerifier.checkSignature(airlock.trustedKeys().and(request.trustedKeys()),
                request.path());
        // In the work area, not java.io.tmpdir: if this process is killed, the next start removes it.
        // Scratch rows a killed import left (cheap when there are none).
        airlock.removeDeadScratch();
        StagingDirectory scratch = airlock.workArea().scratch("import-");
        Session session = airlock.sessionFactory().openSession();
        Run run = null;
        try (ArchiveReader reader = ArchiveVerifier.open(request.path(), signed)) {
            session.beginTransaction();
            run = new Run(session, request, reader.source().toString(), progress, scratch.path());
            new ArchiveScanner(reader, scratch.path()).scan(run);
            ImportResult result = run.result().signedBy(signed.map(TrustedKeys.SignedToc::signedBy));
            if (request.dryRun()) {
                session.getTransaction().rollback();
            } else {
                Run finished = run;
                run.flushArtifacts(); // an archive of artifacts and nothing else
                timed("delete scratch keys", () -> finished.scratch.release(KEYS, "run_id", finished.runId));
                timed("sync artifacts", run.artifacts::sync); // the files must be on disk before the rows naming them commit
                checkInterrupt(); // a cancelled import never commits
                timed("commit", session.getTransaction()::commit);
            }
            run.writers.close();
            run.artifacts.close();
            return result;
        } catch (IOException | UncheckedIOException e) {
            rollback(session, run);
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read " + request.path() + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            rollback(session, run);
            if (e instanceof AirlockException) {
                throw e;
            }
            AirlockException busy = io.airlock.core.db.Jdbc.busy(e, "import of " + request.path(), airlock.lockTimeout());
            if (busy != null) {
                throw busy;
            }
            if (e instanceof RuntimeException && !(e instanceof IllegalStateException)) {
                // Abbreviated: a database error may quote a whole value from the archive.
                throw new AirlockException(ErrorCode.DATABASE_FAILURE, "import of " + request.path() + " failed: "
                        + firstLine(e.toString()), e);
            }
            throw e;
        } finally {
            Cancellation.runUninterrupted(() -> {
                session.close();
                scratch.close();
            });
        }
    }

    /** Rolls back and removes the artifact files written, with the interrupt cleared (a cancelled import cleans up too). */
    private void rollback(Session session, Run run) {
        Cancellation.runUninterrupted(() -> rollbackNow(session, run));
    }

    private void rollbackNow(Session session, Run run) {
        try {
            if (session.getTransaction().isActive()) {
                session.getTransaction().rollback();
            }
        } finally {
            if (run != null) {
                run.writers.close(); // waits for the writes in flight, so that what they stored is removed too
                run.removeWrittenArtifacts();
                run.artifacts.close();
            }
        }
    }

    /** One import: the scanner's sink. */
    private final class Run implements ArchiveScanner.Sink {
        private final Session session;
        private final ImportRequest request;
        private final String source;
        private final ArtifactBatch artifacts;
        /** Writes the small artifacts of {@link #artifacts} from two threads. */
        private final ArtifactWriters writers;
        private final java.util.Set<String> known = new java.util.HashSet<>();
        private final ProgressListener progress;
        private Manifest manifest;
        private final List<Repository> destinations = new ArrayList<>();
        private final List<Boolean> createdRepositories = new ArrayList<>();
        private final List<Optional<RepositoryVersion>> versions = new ArrayList<>();
        private final Map<String, StoredArtifact> pendingArtifacts = new LinkedHashMap<>();
        /** Full batches of artifacts whose rows wait for the pool's writes numbered below {@code through}. */
        private final java.util.ArrayDeque<WrittenBatch> unrecorded = new java.util.ArrayDeque<>();
        private final List<NewUnit> pendingUnits = new ArrayList<>();
        private final List<Link> pendingLinks = new ArrayList<>();
        private final List<Carried> pendingCarried = new ArrayList<>();
        private long carriedLine;
        private final Map<String, Long> created = new TreeMap<>();
        private final Map<String, Long> reused = new TreeMap<>();
        private String currentType;
        private final DeferredRows deferred;
        /** While true, a row referring to a unit not stored yet is deferred instead of refused. */
        private boolean deferring = true;
        private final ScratchSpace scratch;
        /** The import's folder in the work area, for spooled data. */
        private final Path workDirectory;
        private final UUID runId;
        /** The table of this run's keys: {@code import_key} or one of the run's own (see {@link ScratchSpace#table}). */
        private final String keys;
        private long linkLine;
        private long memberLine;
        private String membershipWhere;
        /**
         * Per repository with a membership delta: the destination's latest version found to hold the
         * base membership, or, negated minus one, found to hold the delta's result already.
         */
        private final List<Integer> baseChecked = new ArrayList<>();
        private long deltaLine;
        private long artifactsWritten;
        private long artifactsReused;
        private long bytesWritten;
        private long rowsDone;
        private long totalRows;
        private long artifactBytesDone;

        Run(Session session, ImportRequest request, String source, ProgressListener progress, Path scratch) {
            this.deferred = new DeferredRows(scratch.resolve("deferred-rows.jsonl"));
            this.workDirectory = scratch;
            this.session = session;
            this.scratch = airlock.scratch(session);
            this.runId = this.scratch.newId();
            this.keys = this.scratch.table(KEYS, runId);
            this.request = request;
            this.source = "export " + source;
            this.artifacts = airlock.artifacts().batch();
            this.writers = new ArtifactWriters(artifacts);
            this.progress = progress;
        }

        @Override
        public void manifest(Manifest manifest) {
            this.manifest = manifest;
            PluginCompatibility.check(manifest, airlock.plugins(), source);
            totalRows = manifest.content().values().stream().mapToLong(Long::longValue).sum();
            for (String mapped : request.mapping().keySet()) {
                if (manifest.repositories().stream().noneMatch(r -> r.name().equals(mapped))) {
                    throw new AirlockException(ErrorCode.INVALID_INPUT, "--map names '" + mapped + "', which " + source
                            + " does not contain (it has: " + io.airlock.core.store.RelativePaths.printable(String.join(", ",
                            manifest.repositories().stream().map(Manifest.ExportedRepository::name).toList())) + ")");
                }
            }
            List<String> names = new ArrayList<>();
            for (Manifest.ExportedRepository exported : manifest.repositories()) {
                String destination = request.mapping().getOrDefault(exported.name(), exported.name());
                if (names.contains(destination)) {
                    throw new AirlockException(ErrorCode.INVALID_INPUT, "two exported repositories would both go to '" + destination + "'");
                }
                names.add(destination);
                Optional<Repository> found = airlock.repositories().find(session, destination);
                if (found.isPresent()) {
                    if (!found.get().family().equals(exported.family())) {
                        throw new AirlockException(ErrorCode.CONFLICT, "destination repository '" + destination + "' holds "
                                + found.get().family() + " content, but the exported '" + exported.name() + "' holds "
                                + exported.family() + " content");
                    }
                    destinations.add(found.get());
                    createdRepositories.add(false);
                } else if (request.createRepositories()) {
                    destinations.add(airlock.repositories().create(session, destination, exported.family(),
                            "imported from " + exported.name()));
                    createdRepositories.add(true);
                } else {
                    throw new AirlockException(ErrorCode.NOT_FOUND, "destination repository '" + destination
                            + "' does not exist; create it, map it with --map " + exported.name() + "=NAME, or pass --create-repositories");
                }
            }
            // Before any artifact is stored: a delta applies only to a destination that holds its base.
            for (int i = 0; i < destinations.size(); i++) {
                int index = i;
                baseChecked.add(manifest.repositories().get(i).delta().isEmpty() ? Integer.MIN_VALUE
                        : session.doReturningWork(c -> checkBase(c, index, destinations.get(index).latestVersion())));
            }
        }

        /**
         * Refuses a membership delta unless version {@code latest} of its destination has exactly
         * the delta's base membership (same sha256 of its keys, same count), or has its result
         * already (the export was imported before: importing it again changes nothing). Returns
         * {@code latest}, negated minus one when the result is there already.
         */
        private int checkBase(java.sql.Connection connection, int repository, int latest) throws java.sql.SQLException {
            Manifest.ExportedRepository exported = manifest.repositories().get(repository);
            Manifest.MembershipDelta delta = exported.delta().orElseThrow();
            Repository destination = destinations.get(repository);
            io.airlock.core.archive.MembershipKeys.Summary held = io.airlock.core.archive.MembershipKeys.summarize(connection,
                    destination.id(), latest, "import");
            if (held.sha256().equals(delta.baseSha256()) && held.count() == delta.baseCount()) {
                return latest;
            }
            if (held.sha256().equals(exported.membershipSha256()) && held.count() == exported.contentCount()) {
                return -latest - 1;
            }
            throw new AirlockException(ErrorCode.CONFLICT, source + " holds " + exported.name() + "@" + exported.version()
                    + " as changes to its version " + exported.baseVersion().orElseThrow() + " (" + delta.baseCount()
                    + " units), but destination repository '" + destination.name() + "' does not hold that version's units"
                    + " (its latest version " + latest + " has " + held.count() + (held.count() == delta.baseCount()
                    ? " other" : "") + " units); import the full export, or an export made with --full-membership");
        }

        /**
         * An artifact counts as present only when a row names it: a row commits after its file was
         * synced, while a file without a row may be a leftover of an interrupted run.
         */
        @Override
        public void artifactsListed(List<StoredArtifact> next) {
            known.clear();
            known.addAll(session.doReturningWork(connection -> ContentWriter.lookupByKey(connection, "select sha256, id from artifact where sha256 in ",
                    next.stream().map(StoredArtifact::sha256).toList())).keySet());
        }

        @Override
        public void artifact(String sha256, long size, InputStream bytes) throws IOException {
            String where = source + ", entry 'artifacts/" + sha256.substring(0, 2) + "/" + sha256 + "'";
            if (known.contains(sha256) && airlock.artifacts().contains(sha256)) {
                // Hashed although not stored: import refuses whatever verify refuses (a plain .tar
                // has no chunk digests, and a TOC's digests say nothing once its author is hostile).
                ArchiveVerifier.checkSha256(bytes, sha256, where);
                artifactsReused++;
            } else if (request.dryRun()) {
                ArchiveVerifier.checkSha256(bytes, sha256, where);
                artifactsWritten++;
                bytesWritten += size;
            } else if (size <= ArtifactWriters.MAX_SIZE) {
                // Read here (the archive is one stream), written by the pool while the next is read.
                byte[] read = bytes.readNBytes((int) size);
                if (read.length != size) {
                    throw new AirlockException(ErrorCode.ARCHIVE_INVALID, where + ": " + read.length + " bytes, " + size + " expected");
                }
                writers.submit(sha256, read, where);
                artifactsWritten++;
                bytesWritten += size;
            } else {
                try {
                    artifacts.put(bytes, Optional.of(sha256));
                } catch (AirlockException e) {
                    if (e.code() == ErrorCode.ARCHIVE_INVALID) {
                        throw e; // from the archive reader, which names the entry already
                    }
                    throw new AirlockException(e.code(), where + ": " + e.getMessage(), e);
                }
                artifactsWritten++;
                bytesWritten += size;
            }
            pendingArtifacts.put(sha256, new StoredArtifact(sha256, size));
            if (pendingArtifacts.size() == BATCH) {
                queuePending();
            }
            // Rows only for files written (a new artifact row is checked against the store), and
            // none once one of them failed: that failure is what the import reports.
            while (!unrecorded.isEmpty() && writers.endedBelow(unrecorded.peekFirst().through())) {
                writers.throwFailure();
                recordArtifacts(unrecorded.pollFirst().artifacts());
            }
            artifactBytesDone += size;
            progress.progress("artifacts", artifactBytesDone, manifest.artifactBytes());
            checkInterrupt();
        }

        /**
         * After the artifacts: waits for the pool's writes (rows and links are checked against the
         * stored files) and writes the rows of the artifacts not written yet.
         */
        private void flushArtifacts() {
            writers.awaitAll();
            queuePending();
            while (!unrecorded.isEmpty()) {
                recordArtifacts(unrecorded.pollFirst().artifacts());
            }
        }

        /** Moves the pending artifacts to the queue of those whose rows wait for the writes submitted so far. */
        private void queuePending() {
            if (!pendingArtifacts.isEmpty()) {
                unrecorded.add(new WrittenBatch(writers.submitted(), new LinkedHashMap<>(pendingArtifacts)));
                pendingArtifacts.clear();
            }
        }

        private void recordArtifacts(Map<String, StoredArtifact> batch) {
            session.doWork(connection -> airlock.contentWriter().artifactIds(connection, batch, !request.dryRun()));
        }

        @Override
        public void row(String type, ObjectNode row, String where) {
            if (!type.equals(currentType)) {
                flushArtifacts();
                flushUnits();
                currentType = type;
            }
            LinkRules.ReadRow read;
            try {
                read = LinkRules.readRow(airlock.plugins(), type, row, where, this::reference);
            } catch (DeferredRows.ForwardReference e) {
                deferred.add(type, where, row);
                return;
            }
            Content unit = read.unit();
            Optional<FileDigest> own = read.own();
            pendingUnits.add(new NewUnit(unit, List.of()));
            pendingCarried.add(new Carried(unit.keyDigest(), LinkRules.label(unit), own));
            if (pendingUnits.size() == BATCH) {
                flushUnits();
            }
        }

        /**
         * Reads the deferred rows again, now that every row has been read once, until a pass stores
         * none of them; a row still referring to a unit that is nowhere is then refused at its line.
         * Runs once, before the first link is read.
         */
        private void resolveDeferred() {
            if (!deferring) {
                return;
            }
            flushUnits();
            while (deferred.count() > 0) {
                long before = deferred.count();
                deferred.drain(next -> row(next.type(), next.row(), next.where()));
                flushUnits();
                if (deferred.count() == before) {
                    deferring = false; // no progress: the next pass refuses the first row left
                }
            }
            deferring = false;
            deferred.close();
        }

        private <C extends Content> C reference(Class<C> type, ContentKey key) {
            Optional<UUID> id = idOfDigest(key.digest());
            if (id.isEmpty() && !pendingUnits.isEmpty()) {
                flushUnits(); // the target may be a row of this batch
                id = idOfDigest(key.digest());
            }
            if (id.isEmpty() && deferring) {
                throw new DeferredRows.ForwardReference();
            }
            UUID found = id.orElseThrow(() -> new AirlockException(ErrorCode.NOT_FOUND, "referenced unit "
                    + key.canonicalText() + " is neither in the export nor in this installation"));
            return session.getReference(type, found);
        }

        private Optional<UUID> idOfDigest(String digest) {
            return session.createSelectionQuery("select c.id from Content c where c.keyDigest = :d", UUID.class)
                    .setParameter("d", digest).uniqueResultOptional();
        }

        @Override
        public void endOfType(String type) {
            flushUnits();
        }

        private void flushUnits() {
            if (pendingUnits.isEmpty()) {
                return;
            }
            List<NewUnit> batch = new ArrayList<>(pendingUnits);
            List<Carried> carried = new ArrayList<>(pendingCarried);
            pendingUnits.clear();
            pendingCarried.clear();
            java.util.Set<String> existing = session.doReturningWork(c -> ContentWriter.lookupByKey(c,
                    "select key_digest, id from content where key_digest in ", carried.stream().map(Carried::digest).toList())).keySet();
            ContentWriter.Saved saved = airlock.contentWriter().save(session, batch);
            recordCarried(carried, existing);
            created.merge(currentType, (long) saved.created(), Long::sum);
            reused.merge(currentType, (long) saved.reused(), Long::sum);
            rowsDone += batch.size();
            progress.progress("content", rowsDone, totalRows);
            checkInterrupt();
        }

        private record Link(String unit, String path, Optional<String> sha256, long line) {
        }

        private record WrittenBatch(long through, Map<String, StoredArtifact> artifacts) {
        }

        /** A unit whose row this archive carries: its key digest, label for messages and own file digest. */
        private record Carried(String digest, String label, Optional<FileDigest> own) {
        }

        /**
         * Records the carried units in the {@code import_key} scratch table (kind R; repo_index 0
         * when this import creates the unit, 1 when it reuses one already in the installation), so
         * that links are resolved against the archive's own units only.
         */
        private void recordCarried(List<Carried> carried, java.util.Set<String> existing) {
            session.doWork(main -> {
                java.sql.Connection connection = scratch.writer();
                try (PreparedStatement insert = connection.prepareStatement("insert into " + keys + " (run_id, kind, repo_index,"
                        + " line, digest, label, own_algorithm, own_digest) values (?, 'R', ?, ?, ?, ?, ?, ?)")) {
                    for (Carried unit : carried) {
                        insert.setObject(1, runId);
                        insert.setInt(2, existing.contains(unit.digest()) ? 1 : 0);
                        insert.setLong(3, ++carriedLine);
                        insert.setString(4, unit.digest());
                        insert.setString(5, unit.label());
                        insert.setString(6, unit.own().map(d -> d.isSha256() ? FileDigest.SHA_256 : d.algorithm()).orElse(null));
                        insert.setString(7, unit.own().map(FileDigest::hex).orElse(null));
                        insert.addBatch();
                    }
                    insert.executeBatch();
                    scratch.wrote(KEYS, carried.size(), false);
                }
            });
        }

        /**
         * Links and membership keys are written to the {@code import_key} scratch table in JDBC
         * batches and resolved with joins once complete: one set-based statement instead of a
         * lookup per thousand keys.
         */
        @Override
        public void link(String unitDigest, String path, Optional<String> sha256, String where) {
            resolveDeferred();
            flushArtifacts();
            pendingLinks.add(new Link(unitDigest, path, sha256, ++linkLine));
            if (pendingLinks.size() == BATCH) {
                flushLinks();
                checkInterrupt();
            }
        }

        private void flushLinks() {
            if (pendingLinks.isEmpty()) {
                return;
            }
            session.doWork(main -> {
                java.sql.Connection connection = scratch.writer();
                try (PreparedStatement insert = connection.prepareStatement("insert into " + keys
                        + " (run_id, kind, repo_index, line, digest, path, sha256) values (?, 'L', 0, ?, ?, ?, ?)")) {
                    for (Link link : pendingLinks) {
                        insert.setObject(1, runId);
                        insert.setLong(2, link.line());
                        insert.setString(3, link.unit());
                        insert.setString(4, link.path());
                        insert.setString(5, link.sha256().orElse(null));
                        insert.addBatch();
                    }
                    insert.executeBatch();
                    scratch.wrote(KEYS, pendingLinks.size(), false);
                }
            });
            pendingLinks.clear();
        }

        /**
         * Checks the links against the archive's own units (docs/archive-format.md, "Links"), then
         * gives files to the units this import creates, and fills an on-demand file of a reused
         * unit only when its type has a file digest (already checked); a reused unit keeps its links.
         */
        @Override
        public void endOfLinks() {
            resolveDeferred();
            flushArtifacts();
            flushLinks();
            String where = source + ", " + io.airlock.core.archive.ArchiveNames.CONTENT_ARTIFACTS + ", line ";
            timed("resolve links", () -> session.doWork(connection -> {
                scratch.beforeRead(KEYS);
                // The scratch table has no statistics while an import fills it, so the planner takes it for tiny
                // and joins it to itself by nested loops over sequential scans, quadratic in the links; every
                // join here has an index, which turning sequential scans off makes it use.
                String seqscan = Jdbc.setLocal(connection, "enable_seqscan", "off");
                // EXISTS and NOT EXISTS on the (run_id, kind, digest) index: H2 runs a NOT IN subquery again
                // for every outer row (quadratic: minutes for CS9), and PostgreSQL is told to use indexes. Not a
                // GROUP BY for duplicates: H2 holds every group in memory (out of memory at 1,000,000 links).
                timedSql("duplicate links", () -> firstMissing(connection, "select s.line, s.digest, s.path from " + keys + " s"
                        + " where s.run_id = ? and s.kind = 'L' and exists (select 1 from " + keys + " t where t.run_id = s.run_id"
                        + " and t.kind = 'L' and t.digest = s.digest and t.path = s.path and t.line < s.line) order by s.line",
                        row -> LinkRules.duplicate(where + row.getLong(1), row.getString(2), row.getString(3))));
                // Told to prefer indexes and given no statistics, the planner probes the (run_id, kind, ...) index once per
                // outer row of a self-join with only run_id and kind as conditions (minutes for CS9's 19k links); a hash
                // join reads each side once. Nested loops stay on for the probes of artifact by sha256.
                String nestloop = Jdbc.setLocal(connection, "enable_nestloop", "off");
                timedSql("links to carried units", () -> firstMissing(connection, "select s.line, s.digest from " + keys + " s where s.run_id = ? and s.kind = 'L'"
                        + " and not exists (select 1 from " + keys + " r where r.run_id = s.run_id and r.kind = 'R' and r.digest = s.digest)"
                        + " order by s.line", row -> LinkRules.notCarried(where + row.getLong(1), row.getString(2))));
                Jdbc.restoreLocal(connection, "enable_nestloop", nestloop);
                // The links of the units this import creates are written now, their artifacts found by the join that
                // writes them; a link whose artifact is missing is not written and fails the import below. Only the
                // links of reused units (few, found from their units) are probed for their artifacts on their own:
                // probing every link's was 14.6 s of a million-unit import.
                try (PreparedStatement created = connection.prepareStatement("select c.id, s.path, a.id, s.line, s.sha256"
                        + " from " + keys + " s join content c on c.key_digest = s.digest left join artifact a on a.sha256 = s.sha256"
                        + " where s.run_id = ? and s.kind = 'L' and exists (select 1 from " + keys + " r where r.run_id = s.run_id"
                        + " and r.kind = 'R' and r.repo_index = 0 and r.digest = s.digest)");
                        PreparedStatement insert = connection.prepareStatement(
                                "insert into content_artifact (id, content_id, relative_path, artifact_id) values (?, ?, ?, ?)")) {
                    MissingArtifact[] missing = {null};
                    timedSql("write links", () -> missing[0] = writeLinks(created, insert));
                    timedSql("links to known artifacts", () -> {
                        try (PreparedStatement reused = connection.prepareStatement("select s.line, s.sha256 from " + keys + " r"
                                + " join " + keys + " s on s.run_id = r.run_id and s.kind = 'L' and s.digest = r.digest"
                                + " where r.run_id = ? and r.kind = 'R' and r.repo_index = 1 and s.sha256 is not null"
                                + " and not exists (select 1 from artifact a where a.sha256 = s.sha256) order by s.line")) {
                            reused.setObject(1, runId);
                            reused.setMaxRows(1);
                            try (ResultSet rows = reused.executeQuery()) {
                                if (rows.next() && (missing[0] == null || rows.getLong(1) < missing[0].line())) {
                                    missing[0] = new MissingArtifact(rows.getLong(1), rows.getString(2));
                                }
                            }
                        }
                    });
                    if (missing[0] != null) {
                        throw new AirlockException(ErrorCode.ARCHIVE_INVALID, where + missing[0].line() + ": artifact "
                                + missing[0].sha256() + " is neither in the export nor in this installation");
                    }
                }
                Jdbc.setLocal(connection, "enable_nestloop", "off");
                timedSql("links to own digests", () -> firstMissing(connection, "select s.line, s.path, r.label, s.sha256, r.own_digest from " + keys + " s join " + keys + " r"
                        + " on r.run_id = s.run_id and r.kind = 'R' and r.digest = s.digest where s.run_id = ? and s.kind = 'L'"
                        + " and s.sha256 is not null and r.own_algorithm = '" + FileDigest.SHA_256 + "' and r.own_digest <> s.sha256"
                        + " order by s.line", row -> LinkRules.mismatch(where + row.getLong(1), row.getString(2), row.getString(3),
                        FileDigest.SHA_256, row.getString(4), row.getString(5))));
                checkOtherDigests(connection, where);
                Jdbc.restoreLocal(connection, "enable_nestloop", nestloop);
                try (PreparedStatement onDemand = connection.prepareStatement("select c.id, s.path, a.id"
                        + " from " + keys + " s join content c on c.key_digest = s.digest join artifact a on a.sha256 = s.sha256"
                        + " join content_artifact x on x.content_id = c.id and x.relative_path = s.path and x.artifact_id is null"
                        + " where s.run_id = ? and s.kind = 'L' and not exists (select 1 from " + keys + " r where r.run_id = s.run_id"
                        + " and r.kind = 'R' and r.repo_index = 0 and r.digest = s.digest) and exists (select 1 from " + keys + " r"
                        + " where r.run_id = s.run_id and r.kind = 'R' and r.digest = s.digest and r.own_algorithm is not null)");
                        PreparedStatement fill = connection.prepareStatement(
                                "update content_artifact set artifact_id = ? where content_id = ? and relative_path = ? and artifact_id is null")) {
                    timedSql("fill on-demand links", () -> fillOnDemand(onDemand, fill));
                }
                // Not in a finally: a failed statement has aborted the PostgreSQL transaction, whose settings end with it.
                Jdbc.restoreLocal(connection, "enable_seqscan", seqscan);
            }));
        }

        /** A link (its line) whose artifact (sha256) is neither in the archive nor in the installation. */
        private record MissingArtifact(long line, String sha256) {
        }

        /**
         * Runs {@code select} (content id, path, artifact id, line, sha256) and inserts a link per row,
         * in batches; returns the first link (by line) whose artifact is missing, which it does not write.
         */
        private MissingArtifact writeLinks(PreparedStatement select, PreparedStatement insert) throws java.sql.SQLException {
            MissingArtifact[] missing = {null};
            forEachRowInBatches(select, insert, rows -> {
                UUID artifact = rows.getObject(3, UUID.class);
                String sha256 = rows.getString(5);
                if (artifact == null && sha256 != null) {
                    long line = rows.getLong(4);
                    if (missing[0] == null || line < missing[0].line()) {
                        missing[0] = new MissingArtifact(line, sha256);
                    }
                    return false;
                }
                insert.setObject(1, io.airlock.spi.Ids.next());
                insert.setObject(2, rows.getObject(1, UUID.class));
                insert.setString(3, rows.getString(2));
                insert.setObject(4, artifact);
                return true;
            });
            return missing[0];
        }

        /** Runs {@code select} (content id, path, artifact id) and fills the on-demand link of each row, in batches. */
        private void fillOnDemand(PreparedStatement select, PreparedStatement fill) throws java.sql.SQLException {
            forEachRowInBatches(select, fill, rows -> {
                fill.setObject(1, rows.getObject(3, UUID.class));
                fill.setObject(2, rows.getObject(1, UUID.class));
                fill.setString(3, rows.getString(2));
                return true;
            });
        }

        /** Runs {@code select} for this run and executes {@code write} in batches, once per row {@code bind} binds it for. */
        private void forEachRowInBatches(PreparedStatement select, PreparedStatement write, RowBinder bind) throws java.sql.SQLException {
            select.setObject(1, runId);
            select.setFetchSize(BATCH);
            int pending = 0;
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    if (bind.bind(rows)) {
                        write.addBatch();
                        if (++pending % BATCH == 0) {
                            write.executeBatch();
                        }
                    }
                }
            }
            write.executeBatch();
        }

        /**
         * Links to units whose own digest is not a SHA-256 (an RPM package with a sha1 or sha512
         * pkgId): their artifact's bytes are hashed with that algorithm, from the store, or, in a
         * dry run, from a second pass over the archive for artifacts it carries and the store lacks.
         */
        private void checkOtherDigests(java.sql.Connection connection, String where) throws java.sql.SQLException {
            Map<String, List<LinkRules.Check>> fromArchive = new TreeMap<>();
            try (PreparedStatement query = connection.prepareStatement("select s.line, s.path, r.label, s.sha256, r.own_algorithm,"
                    + " r.own_digest from " + keys + " s join " + keys + " r on r.run_id = s.run_id and r.kind = 'R' and r.digest = s.digest"
                    + " where s.run_id = ? and s.kind = 'L' and s.sha256 is not null and r.own_algorithm is not null"
                    + " and r.own_algorithm <> '" + FileDigest.SHA_256 + "' order by s.sha256, s.line")) {
                query.setObject(1, runId);
                query.setFetchSize(BATCH);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        LinkRules.Check check = new LinkRules.Check(where + rows.getLong(1), rows.getString(2), rows.getString(3),
                                new FileDigest(rows.getString(5), rows.getString(6)));
                        String sha256 = rows.getString(4);
                        if (request.dryRun() && !airlock.artifacts().contains(sha256)) {
                            // Carried by the archive (it has a row, and a dry run stores no file).
                            fromArchive.computeIfAbsent(sha256, k -> new ArrayList<>()).add(check);
                        } else {
                            try (InputStream in = airlock.artifacts().open(sha256)) {
                                LinkRules.check(in, sha256, List.of(check));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }
                    }
                }
            }
            if (!fromArchive.isEmpty()) {
                LinkRules.checkCarried(request.path(), fromArchive);
            }
        }

        @Override
        public void members(int repository, List<String> keyDigests, String where) {
            session.doWork(main -> {
                java.sql.Connection connection = scratch.writer();
                try (PreparedStatement insert = connection.prepareStatement("insert into " + keys
                        + " (run_id, kind, repo_index, line, digest) values (?, 'M', ?, ?, ?)")) {
                    for (String digest : keyDigests) {
                        insert.setObject(1, runId);
                        insert.setInt(2, repository);
                        insert.setLong(3, ++memberLine);
                        insert.setString(4, digest);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                    scratch.wrote(KEYS, keyDigests.size(), false);
                }
            });
            membershipWhere = where;
            checkInterrupt();
        }

        @Override
        public void membersAdded(int repository, List<String> keyDigests, String where) {
            insertDelta('A', repository, keyDigests);
        }

        @Override
        public void membersRemoved(int repository, List<String> keyDigests, String where) {
            insertDelta('D', repository, keyDigests);
        }

        /** Records a delta's added (A) or removed (D) keys in import_key, lines numbered in the order read. */
        private void insertDelta(char kind, int repository, List<String> keyDigests) {
            session.doWork(main -> {
                java.sql.Connection connection = scratch.writer();
                try (PreparedStatement insert = connection.prepareStatement("insert into " + keys
                        + " (run_id, kind, repo_index, line, digest) values (?, ?, ?, ?, ?)")) {
                    for (String digest : keyDigests) {
                        insert.setObject(1, runId);
                        insert.setString(2, String.valueOf(kind));
                        insert.setInt(3, repository);
                        insert.setLong(4, ++deltaLine);
                        insert.setString(5, digest);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                    scratch.wrote(KEYS, keyDigests.size(), false);
                }
            });
            checkInterrupt();
        }

        @Override
        public void endOfMembership(int repository) {
            if (manifest.repositories().get(repository).delta().isPresent()) {
                endOfDelta(repository);
                return;
            }
            Manifest.ExportedRepository exported = manifest.repositories().get(repository);
            session.doWork(connection -> scratch.beforeRead(KEYS));
            timed("check membership", () -> session.doWork(connection -> firstMissing(connection, "select s.line, s.digest from " + keys + " s where s.run_id = ?"
                    + " and s.kind = 'M' and s.repo_index = " + repository
                    + " and not exists (select 1 from content c where c.key_digest = s.digest) order by s.line",
                    (line, digest) -> new AirlockException(ErrorCode.NOT_FOUND, membershipWhere + ": unit with key digest " + digest
                            + " of " + exported.name() + "@" + exported.version() + " is neither in the export nor in this installation"
                            + exported.baseVersion().map(b -> " (import the export of its base version " + b + " first)").orElse("")))));
            timed("check paths", () -> session.doWork(connection -> checkPaths(connection, repository,
                    destinations.get(repository).name())));
            VersionDraft draft = airlock.repositories().draft(session, destinations.get(repository).name(), VersionDraft.Mode.REPLACE,
                    OptionalInt.empty());
            timed("stage membership", () -> draft.addSelected("select c.id from " + keys + " s join content c on c.key_digest = s.digest"
                    + " where s.run_id = ? and s.kind = 'M' and s.repo_index = ?", runId, repository));
            checkInterrupt();
            timed("create version", () -> versions.add(draft.commit()));
            progress.progress("repositories", repository + 1, manifest.repositories().size());
        }

        /**
         * A membership delta: under the destination's lock, its latest version must still be the
         * base, or the result already (checked again if it moved since the manifest); every removed key must be in the base and
         * no added key; every added key must name a unit, none sharing its type and label with a unit
         * the base keeps. The version is the latest plus the added units less the removed (work in
         * proportion to the delta, not to the version); its paths are checked as a complete list's
         * would be, and it must have the manifest's sha256 and count.
         */
        private void endOfDelta(int repository) {
            Manifest.ExportedRepository exported = manifest.repositories().get(repository);
            Repository destination = destinations.get(repository);
            String addedWhere = source + ", " + io.airlock.core.archive.ArchiveNames.membershipAddedEntry(repository);
            String removedWhere = source + ", " + io.airlock.core.archive.ArchiveNames.membershipRemovedEntry(repository);
            // The latest version plus the added units minus the removed ones: work in proportion to the delta.
            VersionDraft draft = airlock.repositories().draft(session, destination.name(), VersionDraft.Mode.MODIFY,
                    OptionalInt.empty());
            int latest = draft.number() - 1;
            int checked = baseChecked.get(repository);
            if (latest != checked && -latest - 1 != checked) {
                checked = session.doReturningWork(c -> checkBase(c, repository, latest));
            }
            // The result is there already: the version stays as it is (and is checked against the manifest below).
            boolean applied = checked < 0;
            String inLatest = "select 1 from content c join repository_content rc on rc.content_id = c.id where c.key_digest = s.digest"
                    + " and rc.repository_id = ? and rc.version_added <= ? and (rc.version_removed is null or rc.version_removed > ?)";
            String base = " of the base membership, which '" + destination.name() + "' holds (its version " + latest + ")";
            session.doWork(connection -> scratch.beforeRead(KEYS));
            timed("check delta", () -> session.doWork(connection -> {
                if (applied) {
                    return;
                }
                firstRow(connection, "select s.line, s.digest from " + keys + " s where s.run_id = ? and s.kind = 'D' and s.repo_index = ?"
                        + " and not exists (" + inLatest + ") order by s.line", destination, latest, repository,
                        (line, digest) -> new AirlockException(ErrorCode.ARCHIVE_INVALID, removedWhere + ": key digest " + digest
                                + " is removed but is not one" + base));
                firstRow(connection, "select s.line, s.digest from " + keys + " s where s.run_id = ? and s.kind = 'A' and s.repo_index = ?"
                        + " and exists (" + inLatest + ") order by s.line", destination, latest, repository,
                        (line, digest) -> new AirlockException(ErrorCode.ARCHIVE_INVALID, addedWhere + ": key digest " + digest
                                + " is added but is already one" + base));
                firstRow(connection, "select s.line, s.digest from " + keys + " s where s.run_id = ? and s.kind = 'A' and s.repo_index = ?"
                        + " and not exists (select 1 from content c where c.key_digest = s.digest) order by s.line", null, 0, repository,
                        (line, digest) -> new AirlockException(ErrorCode.NOT_FOUND, addedWhere + ": unit with key digest " + digest
                                + " of " + exported.name() + "@" + exported.version() + " is neither in the export nor in this installation"));
                // A draft that adds a unit drops the one of the same label; the delta must say so itself.
                firstRow(connection, "select s.line, c.content_type || ':' || c.label from " + keys + " s join content c on c.key_digest = s.digest"
                        + " where s.run_id = ? and s.kind = 'A' and s.repo_index = ? and exists (select 1 from content o"
                        + " join repository_content rc on rc.content_id = o.id where o.content_type = c.content_type and o.label = c.label"
                        + " and o.id <> c.id and rc.repository_id = ? and rc.version_added <= ? and (rc.version_removed is null or rc.version_removed > ?)"
                        + " and not exists (select 1 from " + keys + " d where d.run_id = s.run_id and d.kind = 'D' and d.repo_index = s.repo_index"
                        + " and d.digest = o.key_digest)) order by s.line", destination, latest, repository,
                        (line, label) -> new AirlockException(ErrorCode.INVALID_INPUT, addedWhere + ", line " + line
                                + ": two different units labelled " + io.airlock.core.store.RelativePaths.printable(label)
                                + " cannot both be in repository '" + destination.name() + "'"));
            }));
            membershipWhere = addedWhere;
            if (!applied) {
                String units = "select c.id from " + keys + " s join content c on c.key_digest = s.digest"
                        + " where s.run_id = ? and s.kind = ? and s.repo_index = ?";
                timed("stage version", () -> draft.addSelected(units, runId, "A", repository).removeSelected(units, runId, "D", repository));
            }
            checkInterrupt();
            timed("create version", () -> versions.add(draft.commit()));
            int made = versions.get(repository).map(RepositoryVersion::number).orElse(latest);
            if (made != latest) {
                // Of the version made, in this transaction: a path the delta adds may clash with one the base keeps.
                timed("check paths", () -> session.doWork(connection -> checkPaths(connection, "select x.relative_path"
                        + " from repository_content rc join content_artifact x on x.content_id = rc.content_id"
                        + " where rc.repository_id = ? and rc.version_added <= ? and (rc.version_removed is null or rc.version_removed > ?)",
                        new Object[] {destination.id(), made, made}, destination.name())));
            }
            timed("check result", () -> session.doWork(connection -> {
                io.airlock.core.archive.MembershipKeys.Summary result = io.airlock.core.archive.MembershipKeys.summarize(connection,
                        destination.id(), made, "import");
                if (!result.sha256().equals(exported.membershipSha256()) || result.count() != exported.contentCount()) {
                    throw new AirlockException(ErrorCode.ARCHIVE_INVALID, addedWhere + " and "
                            + io.airlock.core.archive.ArchiveNames.membershipRemovedEntry(repository) + " applied to the base give " + result.count()
                            + " units with membership sha256 " + result.sha256() + ", but the manifest says " + exported.contentCount()
                            + " units with sha256 " + exported.membershipSha256());
                }
            }));
            progress.progress("repositories", repository + 1, manifest.repositories().size());
        }

        /**
         * Throws the exception {@code failure} builds for the first row (line, digest) of {@code sql},
         * if any. Its parameters: the run, the repository index, then, with a destination, the
         * destination's id and {@code version} twice (a {@code VersionMembership} condition).
         */
        private void firstRow(java.sql.Connection connection, String sql, Repository destination, int version, int repository,
                java.util.function.BiFunction<Long, String, AirlockException> failure) throws java.sql.SQLException {
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                query.setObject(1, runId);
                query.setInt(2, repository);
                if (destination != null) {
                    query.setObject(3, destination.id());
                    query.setInt(4, version);
                    query.setInt(5, version);
                }
                query.setMaxRows(1);
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next()) {
                        throw failure.apply(rows.getLong(1), rows.getString(2));
                    }
                }
            }
        }

        /**
         * Refuses a version that would hold a file at {@code p} and another at {@code p/q}: no tree
         * can hold both, so it could never be published. Reads the version's paths in lexicographic
         * order, where every path that has {@code p/} as prefix follows {@code p} with only paths
         * that have {@code p} as prefix in between; a stack of such prefixes of the current path is
         * all it keeps.
         */
        private void checkPaths(java.sql.Connection connection, int repository, String destination) throws java.sql.SQLException {
            checkPaths(connection, "select x.relative_path from " + keys + " s"
                    + " join content c on c.key_digest = s.digest join content_artifact x on x.content_id = c.id"
                    + " where s.run_id = ? and s.kind = 'M' and s.repo_index = ?", new Object[] {runId, repository}, destination);
        }

        /** Refuses a file and a directory at one path among the paths {@code select} (with {@code parameters}) returns. */
        private void checkPaths(java.sql.Connection connection, String select, Object[] parameters, String destination)
                throws java.sql.SQLException {
            // Sorted here, not by the database: H2 sorts more than about 9,600 rows (at -Xmx256m) on disk, 24 s for a million.
            try (SortedSpool<String> paths = new SortedSpool<>(Comparator.naturalOrder(), SortedSpool.STRINGS,
                    () -> Files.createTempFile(workDirectory, "paths-", ".run"), PATH_SORT_BUDGET);
                    PreparedStatement query = connection.prepareStatement(select)) {
                for (int i = 0; i < parameters.length; i++) {
                    query.setObject(i + 1, parameters[i]);
                }
                query.setFetchSize(BATCH);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        paths.add(rows.getString(1));
                    }
                }
                java.util.ArrayDeque<String> prefixes = new java.util.ArrayDeque<>();
                paths.drain(path -> {
                    while (!prefixes.isEmpty() && !path.startsWith(prefixes.peek())) {
                        prefixes.pop();
                    }
                    for (String prefix : prefixes) {
                        if (path.length() > prefix.length() && path.charAt(prefix.length()) == '/') {
                            throw new AirlockException(ErrorCode.ARCHIVE_INVALID, membershipWhere + ": " + destination
                                    + " would hold both '" + io.airlock.core.store.RelativePaths.printable(prefix) + "' and '"
                                    + io.airlock.core.store.RelativePaths.printable(path)
                                    + "', a file and a directory at one path, which can never be published");
                        }
                    }
                    prefixes.push(path);
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Throws the exception {@code failure} builds for the first row of {@code sql} (line, value), if any. */
        private void firstMissing(java.sql.Connection connection, String sql,
                java.util.function.BiFunction<Long, String, AirlockException> failure) throws java.sql.SQLException {
            firstMissing(connection, sql, (RowFailure) row -> failure.apply(row.getLong(1), row.getString(2)));
        }

        /** Throws the exception {@code failure} builds for the first row of {@code sql}, if any. */
        private void firstMissing(java.sql.Connection connection, String sql, RowFailure failure) throws java.sql.SQLException {
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                for (int i = 1; i <= sql.chars().filter(c -> c == '?').count(); i++) {
                    query.setObject(i, runId); // every parameter of these checks is the run
                }
                query.setMaxRows(1);
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next()) {
                        throw failure.apply(rows);
                    }
                }
            }
        }

        ImportResult result() {
            List<ImportResult.ImportedRepository> repositories = new ArrayList<>();
            for (int i = 0; i < destinations.size(); i++) {
                Manifest.ExportedRepository exported = manifest.repositories().get(i);
                repositories.add(new ImportResult.ImportedRepository(exported.name(), destinations.get(i).name(),
                        createdRepositories.get(i), versions.get(i).map(RepositoryVersion::number), exported.contentCount()));
            }
            return new ImportResult(repositories, created, reused, artifactsWritten, artifactsReused, bytesWritten, request.dryRun());
        }

        /** After a rollback: removes the files this import stored that no artifact row names. */
        void removeWrittenArtifacts() {
            try {
                airlock.discardUnrecorded(artifacts);
            } catch (RuntimeException e) {
                // Leftover files are orphans that cleanup removes; the original failure matters more.
            }
        }
    }

    /** The first line of {@code text}, cut after 400 characters. */
    private static String firstLine(String text) {
        String line = text.lines().findFirst().orElse("");
        return line.length() <= 400 ? line : line.substring(0, 400) + "…";
    }

    /** Binds a write's parameters from a row; false when the row is not to be written. */
    @FunctionalInterface
    private interface RowBinder {
        boolean bind(ResultSet row) throws java.sql.SQLException;
    }

    /** The error for a row of a check's query. */
    @FunctionalInterface
    private interface RowFailure {
        AirlockException apply(ResultSet row) throws java.sql.SQLException;
    }

    /** A step of SQL work, timed by {@link #timedSql}. */
    @FunctionalInterface
    private interface SqlStep {
        void run() throws java.sql.SQLException;
    }

    /** Runs a step of SQL work within a larger one and logs its duration at debug level. */
    private static void timedSql(String step, SqlStep work) throws java.sql.SQLException {
        long start = System.nanoTime();
        work.run();
        logDuration("  " + step, start);
    }

    /** Runs a step and logs its duration at debug level. */
    private static void timed(String step, Runnable work) {
        long start = System.nanoTime();
        work.run();
        logDuration(step, start);
    }

    private static void logDuration(String step, long start) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: {} ms", step, (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static void checkInterrupt() {
        Cancellation.check("import");
    }
}
