package io.airlock.core.imports;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airlock.core.Airlock;
import io.airlock.core.archive.ArchiveReader;
import io.airlock.core.archive.ArchiveScanner;
import io.airlock.core.archive.Manifest;
import io.airlock.core.content.ContentWriter;
import io.airlock.core.content.ContentWriter.NewUnit;
import io.airlock.core.model.Repository;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.repository.VersionDraft;
import io.airlock.core.store.ArtifactBatch;
import io.airlock.core.store.FileTrees;
import io.airlock.core.store.Sha256;
import io.airlock.core.store.StoredArtifact;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Content;
import io.airlock.spi.ContentKey;
import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ContentResource;
import io.airlock.spi.ErrorCode;
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

    private final Airlock airlock;

    public ImportEngine(Airlock airlock) {
        this.airlock = requireNonNull(airlock, "airlock");
    }

    public ImportResult importArchive(ImportRequest request, ProgressListener progress) {
        Path scratch;
        try {
            scratch = Files.createTempDirectory("airlock-import-");
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot create a temporary directory: " + e.getMessage(), e);
        }
        Session session = airlock.sessionFactory().openSession();
        Run run = null;
        try (ArchiveReader reader = ArchiveReader.open(request.path())) {
            session.beginTransaction();
            run = new Run(session, request, reader.source().toString(), progress);
            new ArchiveScanner(reader, scratch).scan(run);
            ImportResult result = run.result();
            if (request.dryRun()) {
                session.getTransaction().rollback();
            } else {
                Run finished = run;
                timed("delete scratch keys", () -> session.doWork(c -> {
                    try (PreparedStatement delete = c.prepareStatement("delete from import_key where run_id = ?")) {
                        delete.setObject(1, finished.runId);
                        delete.executeUpdate();
                    }
                }));
                timed("sync artifacts", run.artifacts::sync); // the files must be on disk before the rows naming them commit
                timed("commit", session.getTransaction()::commit);
            }
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
                throw new AirlockException(ErrorCode.DATABASE_FAILURE, "import of " + request.path() + " failed: " + e, e);
            }
            throw e;
        } finally {
            session.close();
            FileTrees.deleteTree(scratch);
        }
    }

    private void rollback(Session session, Run run) {
        try {
            if (session.getTransaction().isActive()) {
                session.getTransaction().rollback();
            }
        } finally {
            if (run != null) {
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
        private final java.util.Set<String> known = new java.util.HashSet<>();
        private final ProgressListener progress;
        private Manifest manifest;
        private final List<Repository> destinations = new ArrayList<>();
        private final List<Boolean> createdRepositories = new ArrayList<>();
        private final List<Optional<RepositoryVersion>> versions = new ArrayList<>();
        private final Map<String, StoredArtifact> pendingArtifacts = new LinkedHashMap<>();
        private final List<NewUnit> pendingUnits = new ArrayList<>();
        private final List<Link> pendingLinks = new ArrayList<>();
        private final Map<String, Long> created = new TreeMap<>();
        private final Map<String, Long> reused = new TreeMap<>();
        private String currentType;
        private int lastOrder = Integer.MIN_VALUE;
        private final UUID runId = io.airlock.spi.Ids.next();
        private long linkLine;
        private long memberLine;
        private String membershipWhere;
        private long artifactsWritten;
        private long artifactsReused;
        private long bytesWritten;
        private long rowsDone;
        private long totalRows;
        private long artifactBytesDone;

        Run(Session session, ImportRequest request, String source, ProgressListener progress) {
            this.session = session;
            this.request = request;
            this.source = "export " + source;
            this.artifacts = airlock.artifacts().batch();
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
                            + " does not contain (it has: " + String.join(", ",
                            manifest.repositories().stream().map(Manifest.ExportedRepository::name).toList()) + ")");
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
                bytes.skipNBytes(size); // the stream's own checks (chunk digests) still cover these bytes
                artifactsReused++;
            } else if (request.dryRun()) {
                DigestInputStream digesting = new DigestInputStream(bytes, Sha256.newDigest());
                digesting.transferTo(java.io.OutputStream.nullOutputStream());
                String actual = HexFormat.of().formatHex(digesting.getMessageDigest().digest());
                if (!actual.equals(sha256)) {
                    throw new AirlockException(ErrorCode.CHECKSUM_MISMATCH, where + ": bytes have sha256 " + actual);
                }
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
                flushArtifacts();
            }
            artifactBytesDone += size;
            progress.progress("artifacts", artifactBytesDone, manifest.artifactBytes());
            checkInterrupt();
        }

        private void flushArtifacts() {
            if (pendingArtifacts.isEmpty()) {
                return;
            }
            Map<String, StoredArtifact> batch = new LinkedHashMap<>(pendingArtifacts);
            pendingArtifacts.clear();
            session.doWork(connection -> airlock.contentWriter().artifactIds(connection, batch, !request.dryRun()));
        }

        @Override
        public void row(String type, ObjectNode row, String where) {
            if (!type.equals(currentType)) {
                flushArtifacts();
                int order = airlock.plugins().resource(type).importOrder();
                if (order < lastOrder) {
                    throw new AirlockException(ErrorCode.ARCHIVE_INVALID, where + ": type " + type + " comes after a type it must precede");
                }
                lastOrder = order;
                currentType = type;
            }
            Content unit;
            try {
                unit = airlock.plugins().resource(type).readRow(row, this::reference);
            } catch (AirlockException e) {
                throw new AirlockException(ErrorCode.ARCHIVE_INVALID, where + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                // A resource should refuse a bad row with an AirlockException; one that trips over it
                // (a missing field read as null) still gets a bad row, not a database failure.
                throw new AirlockException(ErrorCode.ARCHIVE_INVALID, where + ": the row cannot be read as " + type + " ("
                        + e.toString().lines().findFirst().orElse("") + ")", e);
            }
            pendingUnits.add(new NewUnit(unit, List.of()));
            if (pendingUnits.size() == BATCH) {
                flushUnits();
            }
        }

        private <C extends Content> C reference(Class<C> type, ContentKey key) {
            Optional<UUID> id = idOfDigest(key.digest());
            if (id.isEmpty() && !pendingUnits.isEmpty()) {
                flushUnits(); // the target may be a row of this batch
                id = idOfDigest(key.digest());
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
            pendingUnits.clear();
            ContentWriter.Saved saved = airlock.contentWriter().save(session, batch);
            created.merge(currentType, (long) saved.created(), Long::sum);
            reused.merge(currentType, (long) saved.reused(), Long::sum);
            rowsDone += batch.size();
            progress.progress("content", rowsDone, totalRows);
            checkInterrupt();
        }

        private record Link(String unit, String path, Optional<String> sha256, long line) {
        }

        /**
         * Links and membership keys are written to the {@code import_key} scratch table in JDBC
         * batches and resolved with joins once complete: one set-based statement instead of a
         * lookup per thousand keys.
         */
        @Override
        public void link(String unitDigest, String path, Optional<String> sha256, String where) {
            flushArtifacts();
            pendingLinks.add(new Link(unitDigest, path, sha256, ++linkLine));
            if (pendingLinks.size() == BATCH) {
                flushLinks();
            }
        }

        private void flushLinks() {
            if (pendingLinks.isEmpty()) {
                return;
            }
            session.doWork(connection -> {
                try (PreparedStatement insert = connection.prepareStatement("insert into import_key"
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
                }
            });
            pendingLinks.clear();
        }

        @Override
        public void endOfLinks() {
            flushArtifacts();
            flushLinks();
            String where = source + ", " + io.airlock.core.archive.ArchiveNames.CONTENT_ARTIFACTS + ", line ";
            timed("resolve links", () -> session.doWork(connection -> {
                firstMissing(connection, "select s.line, s.digest from import_key s where s.run_id = ? and s.kind = 'L'"
                        + " and not exists (select 1 from content c where c.key_digest = s.digest) order by s.line", (line, digest) ->
                        new AirlockException(ErrorCode.ARCHIVE_INVALID, where + line + ": unit " + digest
                                + " is neither in the export nor in this installation"));
                firstMissing(connection, "select s.line, s.sha256 from import_key s where s.run_id = ? and s.kind = 'L'"
                        + " and s.sha256 is not null and not exists (select 1 from artifact a where a.sha256 = s.sha256)"
                        + " order by s.line", (line, sha256) -> new AirlockException(ErrorCode.ARCHIVE_INVALID, where + line
                        + ": artifact " + sha256 + " is neither in the export nor in this installation"));
                // New links, and artifacts for existing on-demand links; a link that has a file keeps it.
                try (PreparedStatement select = connection.prepareStatement("select c.id, s.path, a.id, x.content_id"
                        + " from import_key s join content c on c.key_digest = s.digest left join artifact a on a.sha256 = s.sha256"
                        + " left join content_artifact x on x.content_id = c.id and x.relative_path = s.path"
                        + " where s.run_id = ? and s.kind = 'L' and (x.content_id is null or (x.artifact_id is null and a.id is not null))");
                        PreparedStatement insert = connection.prepareStatement(
                                "insert into content_artifact (id, content_id, relative_path, artifact_id) values (?, ?, ?, ?)");
                        PreparedStatement fill = connection.prepareStatement(
                                "update content_artifact set artifact_id = ? where content_id = ? and relative_path = ? and artifact_id is null")) {
                    select.setObject(1, runId);
                    select.setFetchSize(BATCH);
                    int inserts = 0;
                    int fills = 0;
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            if (rows.getObject(4) == null) {
                                insert.setObject(1, io.airlock.spi.Ids.next());
                                insert.setObject(2, rows.getObject(1, UUID.class));
                                insert.setString(3, rows.getString(2));
                                insert.setObject(4, rows.getObject(3, UUID.class));
                                insert.addBatch();
                                if (++inserts % BATCH == 0) {
                                    insert.executeBatch();
                                }
                            } else {
                                fill.setObject(1, rows.getObject(3, UUID.class));
                                fill.setObject(2, rows.getObject(1, UUID.class));
                                fill.setString(3, rows.getString(2));
                                fill.addBatch();
                                if (++fills % BATCH == 0) {
                                    fill.executeBatch();
                                }
                            }
                        }
                    }
                    insert.executeBatch();
                    fill.executeBatch();
                }
            }));
        }

        @Override
        public void members(int repository, List<String> keyDigests, String where) {
            session.doWork(connection -> {
                try (PreparedStatement insert = connection.prepareStatement("insert into import_key"
                        + " (run_id, kind, repo_index, line, digest) values (?, 'M', ?, ?, ?)")) {
                    for (String digest : keyDigests) {
                        insert.setObject(1, runId);
                        insert.setInt(2, repository);
                        insert.setLong(3, ++memberLine);
                        insert.setString(4, digest);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            });
            membershipWhere = where;
        }

        @Override
        public void endOfMembership(int repository) {
            Manifest.ExportedRepository exported = manifest.repositories().get(repository);
            timed("check membership", () -> session.doWork(connection -> firstMissing(connection, "select s.line, s.digest from import_key s where s.run_id = ?"
                    + " and s.kind = 'M' and s.repo_index = " + repository
                    + " and not exists (select 1 from content c where c.key_digest = s.digest) order by s.line",
                    (line, digest) -> new AirlockException(ErrorCode.NOT_FOUND, membershipWhere + ": unit with key digest " + digest
                            + " of " + exported.name() + "@" + exported.version() + " is neither in the export nor in this installation"
                            + exported.baseVersion().map(b -> " (import the export of its base version " + b + " first)").orElse("")))));
            VersionDraft draft = airlock.repositories().draft(session, destinations.get(repository).name(), VersionDraft.Mode.REPLACE,
                    OptionalInt.empty());
            timed("stage membership", () -> draft.addSelected("select c.id from import_key s join content c on c.key_digest = s.digest"
                    + " where s.run_id = ? and s.kind = 'M' and s.repo_index = ?", runId, repository));
            timed("create version", () -> versions.add(draft.commit()));
            progress.progress("repositories", repository + 1, manifest.repositories().size());
        }

        /** Throws the exception {@code failure} builds for the first row of {@code sql} (line, value), if any. */
        private void firstMissing(java.sql.Connection connection, String sql,
                java.util.function.BiFunction<Long, String, AirlockException> failure) throws java.sql.SQLException {
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                query.setObject(1, runId);
                query.setMaxRows(1);
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next()) {
                        throw failure.apply(rows.getLong(1), rows.getString(2));
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

    /** Runs a step and logs its duration at debug level. */
    private static void timed(String step, Runnable work) {
        long start = System.nanoTime();
        work.run();
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: {} ms", step, (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static void checkInterrupt() {
        if (Thread.currentThread().isInterrupted()) {
            throw new AirlockException(ErrorCode.CANCELLED, "import cancelled");
        }
    }
}
