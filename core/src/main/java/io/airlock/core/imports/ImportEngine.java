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
                run.artifacts.sync(); // the files must be on disk before the rows naming them commit
                session.getTransaction().commit();
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
        private final List<String> pendingWheres = new ArrayList<>();
        private final List<Link> pendingLinks = new ArrayList<>();
        private final Map<String, Long> created = new TreeMap<>();
        private final Map<String, Long> reused = new TreeMap<>();
        private String currentType;
        private int lastOrder = Integer.MIN_VALUE;
        private VersionDraft draft;
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
            known.addAll(session.doReturningWork(connection -> lookup(connection, "select sha256, id from artifact where sha256 in ",
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
            session.doWork(connection -> ContentWriter.artifactIds(connection, batch));
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
            pendingWheres.add(where);
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
            pendingWheres.clear();
            ContentWriter.Saved saved = airlock.contentWriter().save(session, batch);
            created.merge(currentType, (long) saved.created(), Long::sum);
            reused.merge(currentType, (long) saved.reused(), Long::sum);
            rowsDone += batch.size();
            progress.progress("content", rowsDone, totalRows);
            checkInterrupt();
        }

        private record Link(String unit, String path, Optional<String> sha256, String where) {
        }

        @Override
        public void link(String unitDigest, String path, Optional<String> sha256, String where) {
            flushArtifacts();
            pendingLinks.add(new Link(unitDigest, path, sha256, where));
            if (pendingLinks.size() == BATCH) {
                flushLinks();
            }
        }

        @Override
        public void endOfLinks() {
            flushArtifacts();
            flushLinks();
        }

        private void flushLinks() {
            if (pendingLinks.isEmpty()) {
                return;
            }
            List<Link> batch = new ArrayList<>(pendingLinks);
            pendingLinks.clear();
            session.doWork(connection -> {
                Map<String, UUID> units = lookup(connection, "select key_digest, id from content where key_digest in ",
                        batch.stream().map(Link::unit).distinct().toList());
                Map<String, UUID> artifacts = lookup(connection, "select sha256, id from artifact where sha256 in ",
                        batch.stream().flatMap(l -> l.sha256().stream()).distinct().toList());
                Map<UUID, Map<String, Optional<UUID>>> existing = existingLinks(connection, new java.util.HashSet<>(units.values()));
                try (PreparedStatement insert = connection.prepareStatement(
                        "insert into content_artifact (id, content_id, relative_path, artifact_id) values (?, ?, ?, ?)");
                        PreparedStatement fill = connection.prepareStatement(
                                "update content_artifact set artifact_id = ? where content_id = ? and relative_path = ? and artifact_id is null")) {
                    for (Link link : batch) {
                        UUID unit = units.get(link.unit());
                        if (unit == null) {
                            throw new AirlockException(ErrorCode.ARCHIVE_INVALID, link.where() + ": unit " + link.unit()
                                    + " is neither in the export nor in this installation");
                        }
                        UUID artifact = null;
                        if (link.sha256().isPresent()) {
                            artifact = artifacts.get(link.sha256().get());
                            if (artifact == null) {
                                throw new AirlockException(ErrorCode.ARCHIVE_INVALID, link.where() + ": artifact " + link.sha256().get()
                                        + " is neither in the export nor in this installation");
                            }
                        }
                        Map<String, Optional<UUID>> files = existing.computeIfAbsent(unit, u -> new HashMap<>());
                        Optional<UUID> current = files.get(link.path());
                        if (current == null) {
                            insert.setObject(1, io.airlock.spi.Ids.next());
                            insert.setObject(2, unit);
                            insert.setString(3, link.path());
                            insert.setObject(4, artifact);
                            insert.addBatch();
                            files.put(link.path(), Optional.ofNullable(artifact));
                        } else if (current.isEmpty() && artifact != null) {
                            fill.setObject(1, artifact);
                            fill.setObject(2, unit);
                            fill.setString(3, link.path());
                            fill.addBatch();
                            files.put(link.path(), Optional.of(artifact));
                        }
                    }
                    insert.executeBatch();
                    fill.executeBatch();
                }
            });
        }

        @Override
        public void members(int repository, List<String> keyDigests, String where) {
            if (draft == null) {
                draft = airlock.repositories().draft(session, destinations.get(repository).name(), VersionDraft.Mode.REPLACE,
                        OptionalInt.empty());
            }
            Map<String, UUID> ids = session.doReturningWork(connection ->
                    lookup(connection, "select key_digest, id from content where key_digest in ", keyDigests));
            List<UUID> batch = new ArrayList<>(keyDigests.size());
            for (String digest : keyDigests) {
                UUID id = ids.get(digest);
                if (id == null) {
                    Manifest.ExportedRepository exported = manifest.repositories().get(repository);
                    throw new AirlockException(ErrorCode.NOT_FOUND, where + ": unit with key digest " + digest
                            + " of " + exported.name() + "@" + exported.version() + " is neither in the export nor in this installation"
                            + exported.baseVersion().map(b -> " (import the export of its base version " + b + " first)").orElse(""));
                }
                batch.add(id);
            }
            draft.add(batch);
        }

        @Override
        public void endOfMembership(int repository) {
            if (draft == null) {
                draft = airlock.repositories().draft(session, destinations.get(repository).name(), VersionDraft.Mode.REPLACE,
                        OptionalInt.empty());
            }
            versions.add(draft.commit());
            draft = null;
            progress.progress("repositories", repository + 1, manifest.repositories().size());
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
                artifacts.discard(shas -> airlock.inTransaction(s -> s.doReturningWork(c ->
                        lookup(c, "select sha256, id from artifact where sha256 in ", shas).keySet())));
            } catch (RuntimeException e) {
                // Leftover files are orphans that cleanup removes; the original failure matters more.
            }
        }
    }

    private static Map<UUID, Map<String, Optional<UUID>>> existingLinks(java.sql.Connection connection, java.util.Set<UUID> units)
            throws java.sql.SQLException {
        Map<UUID, Map<String, Optional<UUID>>> links = new HashMap<>();
        if (units.isEmpty()) {
            return links;
        }
        String placeholders = String.join(",", Collections.nCopies(units.size(), "?"));
        try (PreparedStatement query = connection.prepareStatement(
                "select content_id, relative_path, artifact_id from content_artifact where content_id in (" + placeholders + ")")) {
            int i = 1;
            for (UUID unit : units) {
                query.setObject(i++, unit);
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    links.computeIfAbsent(rows.getObject(1, UUID.class), u -> new HashMap<>())
                            .put(rows.getString(2), Optional.ofNullable(rows.getObject(3, UUID.class)));
                }
            }
        }
        return links;
    }

    private static Map<String, UUID> lookup(java.sql.Connection connection, String selectIn, List<String> keys)
            throws java.sql.SQLException {
        return ContentWriter.lookupByKey(connection, selectIn, keys);
    }

    private static String major(String version) {
        int dot = version.indexOf('.');
        return dot < 0 ? version : version.substring(0, dot);
    }

    private static void checkInterrupt() {
        if (Thread.currentThread().isInterrupted()) {
            throw new AirlockException(ErrorCode.CANCELLED, "import cancelled");
        }
    }
}
