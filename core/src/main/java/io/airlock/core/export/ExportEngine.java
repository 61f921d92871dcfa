package io.airlock.core.export;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airlock.core.Airlock;
import io.airlock.core.archive.ArchiveNames;
import io.airlock.core.archive.ArchiveWriter;
import io.airlock.core.archive.Json;
import io.airlock.core.archive.Manifest;
import io.airlock.core.archive.MembershipKeys;
import io.airlock.core.archive.Toc;
import io.airlock.core.content.ContentFiles;
import io.airlock.core.content.ContentWriter.UnitFile;
import io.airlock.core.db.ScratchSpace;
import io.airlock.core.model.Repository;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.repository.VersionMembership;
import io.airlock.core.repository.VersionRef;
import io.airlock.core.store.Sha256;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Cancellation;
import io.airlock.spi.Content;
import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ContentResource;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Exports repository versions to an archive (docs/archive-format.md): full, or incremental against
 * a named exporter's last export or explicit base versions. The units and artifacts to carry are
 * selected with set-based SQL into a scratch table and streamed from it in batches, so memory does
 * not grow with the repository. Files are staged and moved into place only when everything has
 * been written. The whole export runs on one connection, in one transaction, which also records a
 * named exporter's export: the record is written before the files move and commits after they did.
 */
public final class ExportEngine {

    /** The scratch table of the selection (see {@link ScratchSpace}). */
    private static final String SELECTION = "version_draft_unit";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ExportEngine.class);

    private static final int BATCH = 1000;
    /** Bytes of units the content spool sorts in memory before it writes a sorted run to disk. */
    private static final long SORT_BUDGET = 16 << 20;
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Airlock airlock;

    public ExportEngine(Airlock airlock) {
        this.airlock = requireNonNull(airlock, "airlock");
    }

    private record Target(Repository repository, RepositoryVersion version, Optional<RepositoryVersion> base) {
    }

    /**
     * Runs the export (or, for a dry run, selects and counts and writes nothing). Interrupting the
     * thread cancels it within about a second: it ends with {@link ErrorCode#CANCELLED} and leaves
     * no files and no export record.
     */
    public ExportResult export(ExportRequest request, ProgressListener progress) {
        return Cancellation.guard("export", () -> run(request, progress));
    }

    private ExportResult run(ExportRequest request, ProgressListener progress) {
        if (request.versions().isEmpty()) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, "nothing to export: name at least one repository version");
        }
        String name = ArchiveNames.checkExportName(request.name().orElseGet(() -> "export-" + NAME_TIME.format(Instant.now())));
        request.exporter().ifPresent(ExportEngine::checkExporterName);
        if (request.base() == ExportRequest.Base.LAST_EXPORT && request.exporter().isEmpty()) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, "an incremental export needs a named exporter (--exporter)");
        }
        if (request.dryRun()) {
            return airlock.inRolledBackTransaction(session -> export(session, request, name, progress, new Toc[1]));
        }
        Toc[] placed = new Toc[1];
        try {
            return airlock.inTransaction(session -> export(session, request, name, progress, placed));
        } catch (RuntimeException | Error e) {
            if (placed[0] != null) {
                // The files were in place, but the transaction recording the export did not commit.
                Cancellation.runUninterrupted(() -> withdraw(request.directory(), placed[0]));
            }
            throw e;
        }
    }

    /**
     * The whole export on one session, in one transaction: select, write to staging, record the export
     * (a named exporter), move the files into place; the caller commits. Files are moved only after
     * the record is flushed, so a database failure leaves no files, and a failed move rolls back the
     * record: the exporter never records an export that is not there.
     */
    private ExportResult export(Session session, ExportRequest request, String name, ProgressListener progress, Toc[] placed) {
        session.setDefaultReadOnly(true);
        // Without a second connection (see ScratchSpace) the selection's scratch rows are rolled back to here before the export is recorded.
        Savepoint beforeSelection = session.doReturningWork(Connection::setSavepoint);
        List<Target> targets = resolve(session, request);
        // The selection reads committed versions only: it is written by the scratch connection, set-based.
        ScratchSpace space = airlock.scratch(session);
        UUID selectionId = space.newId();
        Selection scratch = new Selection(selectionId, space.table(SELECTION, selectionId));
        long started = System.nanoTime();
        session.doWork(connection -> {
            space.wrote(SELECTION, stage(space.writer(), scratch, targets), true);
            space.beforeRead(SELECTION);
        });
        checkInterrupt();
        LOG.debug("selected units in {} ms", (System.nanoTime() - started) / 1_000_000);
        started = System.nanoTime();
        Counts unitCounts = session.doReturningWork(connection -> count(connection, scratch, request.allowOnDemand()));
        LOG.debug("counted in {} ms", (System.nanoTime() - started) / 1_000_000);
        List<ExportResult.ExportedRepository> exported = targets.stream().map(t -> new ExportResult.ExportedRepository(
                t.repository().name(), t.repository().family(), t.version().number(),
                t.base().map(RepositoryVersion::number), t.version().contentCount())).toList();
        if (request.dryRun()) {
            long[] artifacts = {0, 0};
            try {
                forEachArtifact(session, scratch, targets, unitCounts.links(), (sha256, size) -> {
                    artifacts[0]++;
                    artifacts[1] += size;
                });
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e); // the visitor does no I/O
            }
            Counts counts = unitCounts.withArtifacts(artifacts[0], artifacts[1]);
            long bytes = estimateBytes(counts, targets, request.fullMembership());
            int files = request.chunkSize().isPresent() ? (int) Math.max(1, (bytes + request.chunkSize().getAsLong() - 1)
                    / request.chunkSize().getAsLong()) : 1;
            return new ExportResult(name, Optional.empty(), exported, counts.content(), counts.artifacts(),
                    counts.artifactBytes(), counts.links(), files, bytes);
        }
        Toc toc;
        Counts counts;
        try (ArchiveWriter writer = new ArchiveWriter(request.directory(), name, request.chunkSize(), airlock.workArea())) {
            started = System.nanoTime();
            Path artifactList = writer.spoolFile("artifacts");
            counts = spoolArtifacts(session, scratch, targets, unitCounts, artifactList);
            LOG.debug("listed {} artifacts in {} ms", counts.artifacts(), (System.nanoTime() - started) / 1_000_000);
            List<Membership> memberships = new ArrayList<>();
            long spooling = System.nanoTime();
            for (Target target : targets) {
                Path keys = writer.spoolFile("membership");
                if (target.base().isPresent() && !request.fullMembership()) {
                    Path removed = writer.spoolFile("membership-removed");
                    memberships.add(session.doReturningWork(c -> writeDelta(c, target, keys, removed)));
                } else {
                    memberships.add(session.doReturningWork(c -> writeMembership(c, target.version(), keys)));
                }
            }
            LOG.debug("spooled membership in {} ms", (System.nanoTime() - spooling) / 1_000_000);
            boolean delta = memberships.stream().anyMatch(m -> m.delta().isPresent());
            int formatVersion = delta ? ArchiveNames.DELTA_FORMAT_VERSION : ArchiveNames.FORMAT_VERSION;
            writer.formatVersion(formatVersion);
            writer.putBytes(ArchiveNames.MANIFEST, manifest(targets, counts, memberships, formatVersion));
            started = System.nanoTime();
            writeArtifacts(writer, artifactList, counts, progress);
            LOG.debug("wrote {} artifacts in {} ms", counts.artifacts(), (System.nanoTime() - started) / 1_000_000);
            started = System.nanoTime();
            writeContent(session, writer, scratch, counts, progress);
            LOG.debug("wrote {} units in {} ms", counts.units(), (System.nanoTime() - started) / 1_000_000);
            space.release(SELECTION, "draft_id", scratch.id());
            for (int i = 0; i < memberships.size(); i++) {
                Membership membership = memberships.get(i);
                if (membership.delta().isPresent()) {
                    writer.putFile(ArchiveNames.membershipAddedEntry(i), membership.keys());
                    writer.putFile(ArchiveNames.membershipRemovedEntry(i), membership.removed().orElseThrow());
                } else {
                    writer.putFile(ArchiveNames.membershipEntry(i), membership.keys());
                }
            }
            session.doWork(connection -> connection.rollback(beforeSelection));
            List<UUID> records = request.exporter().map(exporter -> record(session, exporter, name, targets)).orElse(List.of());
            toc = writer.commit(request.meta(), request.signingKey());
            placed[0] = toc;
            if (!records.isEmpty()) {
                recordFiles(session, records, request.directory(), toc, request.signingKey().isPresent());
            }
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot write export " + name + " to "
                    + request.directory() + ": " + e.getMessage(), e);
        }
        Path tocPath = request.directory().toAbsolutePath().normalize().resolve(ArchiveNames.tocName(name));
        return new ExportResult(name, Optional.of(tocPath), exported, counts.content(), counts.artifacts(),
                counts.artifactBytes(), counts.links(), toc.files().size(), toc.totalSize());
    }

    /** Removes an export that was moved into place: the TOC first, so it never looks complete. */
    private static void withdraw(Path directory, Toc toc) {
        Path target = directory.toAbsolutePath().normalize();
        List<String> names = new ArrayList<>();
        names.add(ArchiveNames.tocName(toc.exportName()));
        names.add(ArchiveNames.tocName(toc.exportName()) + io.airlock.core.trust.SignatureFile.SUFFIX);
        toc.files().forEach(file -> names.add(file.name()));
        for (String file : names) {
            try {
                Files.deleteIfExists(target.resolve(file));
            } catch (IOException e) {
                LOG.warn("cannot remove {} of the export that failed to record: {}", target.resolve(file), e.getMessage());
            }
        }
    }

    private List<Target> resolve(Session session, ExportRequest request) {
        Map<String, VersionRef> since = new LinkedHashMap<>();
        for (VersionRef ref : request.since()) {
            if (ref.number().isEmpty()) {
                throw new AirlockException(ErrorCode.INVALID_INPUT, "--since needs NAME@N, got '" + ref + "'");
            }
            if (since.put(ref.repository(), ref) != null) {
                throw new AirlockException(ErrorCode.INVALID_INPUT, "repository '" + ref.repository() + "' is named twice in --since");
            }
        }
        List<Target> targets = new ArrayList<>();
        for (VersionRef ref : request.versions()) {
            if (targets.stream().anyMatch(t -> t.repository().name().equals(ref.repository()))) {
                throw new AirlockException(ErrorCode.INVALID_INPUT, "repository '" + ref.repository() + "' is named twice");
            }
            Repository repository = airlock.repositories().get(session, ref.repository());
            airlock.plugins().plugin(repository.family()).orElseThrow(() -> new AirlockException(ErrorCode.PLUGIN_INVALID,
                    "repository '" + repository.name() + "' holds " + repository.family() + " content, but no plugin '"
                            + repository.family() + "' is installed"));
            // Both locked against deletion until the export ends.
            RepositoryVersion version = airlock.repositories().versionForReading(session, ref);
            Optional<RepositoryVersion> base = switch (request.base()) {
                case FULL -> Optional.empty();
                case SINCE -> Optional.ofNullable(since.remove(ref.repository()))
                        .map(b -> airlock.repositories().versionForReading(session, b));
                case LAST_EXPORT -> Optional.of(airlock.repositories().versionForReading(session, VersionRef.of(repository.name(),
                        lastExported(session, request.exporter().orElseThrow(), repository).number())));
            };
            if (base.isPresent() && base.get().number() > version.number()) {
                throw new AirlockException(ErrorCode.INVALID_INPUT, "base version " + base.get().number() + " of '"
                        + repository.name() + "' is newer than the exported version " + version.number());
            }
            targets.add(new Target(repository, version, base));
        }
        if (!since.isEmpty()) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, "--since names " + since.keySet().iterator().next()
                    + ", which is not being exported");
        }
        return targets;
    }

    private RepositoryVersion lastExported(Session session, String exporter, Repository repository) {
        ExportRecord last = session.createSelectionQuery(
                        "from ExportRecord where exporter = :e and repositoryId = :r order by created desc, versionNumber desc",
                        ExportRecord.class)
                .setParameter("e", exporter)
                .setParameter("r", repository.id())
                .setMaxResults(1)
                .uniqueResultOptional()
                .orElseThrow(() -> new AirlockException(ErrorCode.NOT_FOUND, "exporter '" + exporter + "' has not exported '"
                        + repository.name() + "' before; make a full export first"));
        return session.createSelectionQuery(
                        "from RepositoryVersion where repositoryId = :r and number = :n", RepositoryVersion.class)
                .setParameter("r", repository.id())
                .setParameter("n", last.versionNumber())
                .uniqueResultOptional()
                .orElseThrow(() -> new AirlockException(ErrorCode.CONFLICT, "version " + last.versionNumber() + " of repository '"
                        + repository.name() + "', which exporter '" + exporter + "' exported last, has been deleted;"
                        + " make a full export (without --incremental)"));
    }

    /** Records the export in its transaction, flushed so that a database failure comes before any file moves; the records' ids. */
    private static List<UUID> record(Session session, String exporter, String exportName, List<Target> targets) {
        Instant now = Instant.now();
        List<UUID> ids = new ArrayList<>();
        for (Target target : targets) {
            ExportRecord record = new ExportRecord(exporter, target.repository().id(), target.version().number(), exportName, now,
                    target.base().map(b -> java.util.OptionalInt.of(b.number())).orElse(java.util.OptionalInt.empty()));
            session.persist(record);
            ids.add(record.id());
        }
        session.flush();
        return ids;
    }

    /** Adds the names and total size of the files in place to the export's records. */
    private static void recordFiles(Session session, List<UUID> records, Path directory, Toc toc, boolean signed) {
        List<String> names = new ArrayList<>();
        names.add(ArchiveNames.tocName(toc.exportName()));
        toc.files().forEach(file -> names.add(file.name()));
        if (signed) {
            names.add(ArchiveNames.tocName(toc.exportName()) + io.airlock.core.trust.SignatureFile.SUFFIX);
        }
        long bytes = 0;
        for (String file : names) {
            try {
                bytes += Files.size(directory.resolve(file));
            } catch (IOException e) {
                throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read the size of " + directory.resolve(file) + ": " + e, e);
            }
        }
        String files = String.join("\n", names);
        session.createMutationQuery("update ExportRecord set files = :f, totalBytes = :b where id in :ids")
                .setParameter("f", files.length() <= ExportRecord.FILES_LENGTH ? files : null)
                .setParameter("b", bytes)
                .setParameter("ids", records)
                .executeUpdate();
    }

    // --- selection -------------------------------------------------------------------------

    /** The selection's scratch id and the table its rows are in ({@code version_draft_unit} or its own, see {@link ScratchSpace#table}). */
    private record Selection(UUID id, String table) {
        Selection {
            java.util.Objects.requireNonNull(id);
            java.util.Objects.requireNonNull(table);
        }
    }

    /**
     * Units to carry ('E') into the scratch table; returns the rows written. The artifacts to carry
     * are not staged: {@link #forEachArtifact} selects them from these units' links (inserting a
     * hundred thousand artifact ids, in random order, cost a second on H2).
     */
    private static long stage(Connection connection, Selection scratch, List<Target> targets) throws SQLException {
        long rows = 0;
        boolean first = true;
        for (Target target : targets) {
            RepositoryVersion v = target.version();
            // A unit has one membership row per repository that holds it at a version, so one
            // target yields no duplicates: no DISTINCT (a sort of every id) and, for the first
            // target, no probe for units staged by an earlier one.
            String sql = "insert into " + scratch.table() + " (draft_id, op, content_id) select ?, 'E', rc.content_id"
                    + " from repository_content rc where " + VersionMembership.sql("rc")
                    + (target.base().isPresent() ? " and not exists (select 1 from repository_content b where b.content_id = rc.content_id and "
                            + VersionMembership.sql("b") + ")" : "")
                    + (first ? "" : " and not exists (select 1 from " + scratch.table() + " s where s.draft_id = ? and s.op = 'E'"
                            + " and s.content_id = rc.content_id)");
            try (PreparedStatement insert = connection.prepareStatement(sql)) {
                int i = 1;
                insert.setObject(i++, scratch.id());
                i = VersionMembership.bind(insert, i, v);
                if (target.base().isPresent()) {
                    i = VersionMembership.bind(insert, i, target.base().get());
                }
                if (!first) {
                    insert.setObject(i, scratch.id());
                }
                rows += insert.executeUpdate();
            }
            first = false;
        }
        return rows;
    }

    record Counts(Map<String, Long> content, long artifacts, long artifactBytes, long links) {
        /** Units of every type. */
        long units() {
            return content.values().stream().mapToLong(Long::longValue).sum();
        }

        Counts withArtifacts(long count, long bytes) {
            return new Counts(content, count, bytes, links);
        }
    }

    private static Counts count(Connection connection, Selection scratch, boolean allowOnDemand) throws SQLException {
        if (!allowOnDemand) {
            try (PreparedStatement onDemand = connection.prepareStatement(
                    "select c.content_type, c.label, ca.relative_path from " + scratch.table() + " s"
                            + " join content_artifact ca on ca.content_id = s.content_id join content c on c.id = s.content_id"
                            + " where s.draft_id = ? and s.op = 'E' and ca.artifact_id is null order by c.content_type, c.label")) {
                onDemand.setObject(1, scratch.id());
                onDemand.setMaxRows(1);
                try (ResultSet rows = onDemand.executeQuery()) {
                    if (rows.next()) {
                        throw new AirlockException(ErrorCode.INVALID_INPUT, "unit " + rows.getString(1) + ":" + rows.getString(2)
                                + " has no file in the store for " + rows.getString(3)
                                + " (on demand); use --allow-on-demand to export it as metadata only");
                    }
                }
            }
        }
        Map<String, Long> content = new TreeMap<>();
        try (PreparedStatement types = connection.prepareStatement("select c.content_type, count(*) from " + scratch.table() + " s"
                + " join content c on c.id = s.content_id where s.draft_id = ? and s.op = 'E' group by c.content_type")) {
            types.setObject(1, scratch.id());
            try (ResultSet rows = types.executeQuery()) {
                while (rows.next()) {
                    content.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        long links;
        try (PreparedStatement linkCount = connection.prepareStatement("select count(*) from " + scratch.table() + " s"
                + " join content_artifact ca on ca.content_id = s.content_id where s.draft_id = ? and s.op = 'E'")) {
            linkCount.setObject(1, scratch.id());
            try (ResultSet rows = linkCount.executeQuery()) {
                rows.next();
                links = rows.getLong(1);
            }
        }
        return new Counts(content, 0, 0, links); // the artifacts are counted while listed
    }

    private static long estimateBytes(Counts counts, List<Target> targets, boolean fullMembership) {
        long tar = 2 * 512; // end-of-archive blocks
        tar += counts.artifacts() * 1024 + counts.artifactBytes(); // header + padding (at most one block) + bytes
        tar += counts.units() * 400 + counts.links() * 160 + counts.artifacts() * 90; // rows, links, artifact list: typical sizes
        // A delta holds at least the difference in size of the two memberships (what it holds exactly needs the merge).
        tar += targets.stream().mapToLong(t -> t.base().isPresent() && !fullMembership
                ? 1024 + Math.abs(t.version().contentCount() - t.base().get().contentCount()) * 32
                : t.version().contentCount() * 32).sum();
        return tar;
    }

    // --- writing ---------------------------------------------------------------------------

    private byte[] manifest(List<Target> targets, Counts counts, List<Membership> memberships, int formatVersion) throws IOException {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("format", ArchiveNames.FORMAT);
        root.put("format_version", formatVersion);
        root.put("producer", "airlock " + Airlock.VERSION);
        root.put("created", Instant.now().toString());
        ArrayNode plugins = root.putArray("plugins");
        java.util.Set<String> families = new java.util.TreeSet<>();
        targets.forEach(t -> families.add(t.repository().family()));
        counts.content().keySet().forEach(type -> families.add(airlock.plugins().pluginOf(type).name()));
        for (String family : families) {
            ContentPlugin plugin = airlock.plugins().plugin(family).orElseThrow();
            plugins.addObject().put("name", plugin.name()).put("version", plugin.version());
        }
        ArrayNode repositories = root.putArray("repositories");
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            ObjectNode repo = repositories.addObject()
                    .put("name", t.repository().name())
                    .put("family", t.repository().family())
                    .put("version", t.version().number());
            if (t.base().isPresent()) {
                repo.put("base_version", t.base().get().number());
            } else {
                repo.putNull("base_version");
            }
            Membership membership = memberships.get(i);
            repo.put("content_count", membership.count());
            repo.put("membership_sha256", membership.sha256());
            membership.delta().ifPresent(d -> repo.put("base_membership_sha256", d.baseSha256())
                    .put("base_content_count", d.baseCount())
                    .put("added_count", d.added())
                    .put("removed_count", d.removed()));
        }
        ObjectNode content = root.putObject("content");
        counts.content().forEach(content::put);
        root.putObject("artifacts").put("count", counts.artifacts()).put("bytes", counts.artifactBytes());
        root.put("content_artifacts", counts.links());
        return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    /**
     * A version's spooled membership: its complete key list ({@code keys}), or, for a delta, the
     * added keys ({@code keys}) and the removed ones; the complete membership's sha256 and count.
     */
    private record Membership(Path keys, Optional<Path> removed, String sha256, long count, Optional<Manifest.MembershipDelta> delta) {
    }

    /** Writes the sorted key digests of a version, 32 bytes each. */
    private static Membership writeMembership(Connection connection, RepositoryVersion version, Path file) throws SQLException {
        MembershipKeys.Summary summary;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
                MembershipKeys keys = MembershipKeys.open(connection, version.repositoryId(), version.number(), "export")) {
            for (byte[] key = keys.next(); key != null; key = keys.next()) {
                out.write(key);
            }
            summary = keys.summary();
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot spool membership: " + e.getMessage(), e);
        }
        checkCount(version, summary.count());
        return new Membership(file, Optional.empty(), summary.sha256(), summary.count(), Optional.empty());
    }

    /**
     * Writes the keys a version adds to its base's membership and those it removes, 32 bytes each,
     * ascending: a merge of the two versions' key streams, which also digests both memberships
     * whole (the base's for the importer to check its destination against, the version's for the
     * result).
     */
    private static Membership writeDelta(Connection connection, Target target, Path addedFile, Path removedFile) throws SQLException {
        RepositoryVersion version = target.version();
        RepositoryVersion base = target.base().orElseThrow();
        long added = 0;
        long removed = 0;
        MembershipKeys.Summary now;
        MembershipKeys.Summary before;
        try (OutputStream addedOut = new BufferedOutputStream(Files.newOutputStream(addedFile), 1 << 16);
                OutputStream removedOut = new BufferedOutputStream(Files.newOutputStream(removedFile), 1 << 16);
                MembershipKeys versionKeys = MembershipKeys.open(connection, version.repositoryId(), version.number(), "export");
                MembershipKeys baseKeys = MembershipKeys.open(connection, base.repositoryId(), base.number(), "export")) {
            byte[] v = versionKeys.next();
            byte[] b = baseKeys.next();
            while (v != null || b != null) {
                int order = v == null ? 1 : b == null ? -1 : Arrays.compareUnsigned(v, b);
                if (order < 0) {
                    addedOut.write(v);
                    added++;
                    v = versionKeys.next();
                } else if (order > 0) {
                    removedOut.write(b);
                    removed++;
                    b = baseKeys.next();
                } else {
                    v = versionKeys.next();
                    b = baseKeys.next();
                }
            }
            now = versionKeys.summary();
            before = baseKeys.summary();
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot spool membership: " + e.getMessage(), e);
        }
        checkCount(version, now.count());
        checkCount(base, before.count());
        return new Membership(addedFile, Optional.of(removedFile), now.sha256(), now.count(),
                Optional.of(new Manifest.MembershipDelta(before.sha256(), before.count(), added, removed)));
    }

    private static void checkCount(RepositoryVersion version, long keys) {
        if (keys != version.contentCount()) {
            throw new IllegalStateException("version " + version.number() + " counts " + version.contentCount()
                    + " units but has " + keys);
        }
    }

    /** Writes the artifacts to carry, in sha256 order, to {@code list}; returns {@code counts} with their number and bytes. */
    private static Counts spoolArtifacts(Session session, Selection scratch, List<Target> targets, Counts counts, Path list)
            throws IOException {
        long[] artifacts = {0, 0};
        try (ArtifactListSpool.Writer spool = ArtifactListSpool.create(list)) {
            forEachArtifact(session, scratch, targets, counts.links(), (sha256, size) -> {
                spool.add(sha256, size);
                if (++artifacts[0] % BATCH == 0) {
                    checkInterrupt();
                }
                artifacts[1] += size;
            });
        }
        return counts.withArtifacts(artifacts[0], artifacts[1]);
    }

    private void writeArtifacts(ArchiveWriter writer, Path list, Counts counts, ProgressListener progress) throws IOException {
        try (InputStream in = Files.newInputStream(list)) {
            writer.put(ArchiveNames.ARTIFACT_LIST, Files.size(list), in);
        }
        long[] done = {0, 0};
        // The entries follow the list just written, read back: the database sorts the selection once.
        ArtifactListSpool.forEach(list, (sha256, size) -> {
            try (InputStream in = new DigestInputStream(airlock.artifacts().open(sha256), Sha256.newDigest())) {
                writer.put(ArchiveNames.artifactEntry(sha256), size, in);
                String actual = HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
                if (!actual.equals(sha256)) {
                    throw new AirlockException(ErrorCode.CHECKSUM_MISMATCH, "artifact " + sha256
                            + " in the store is damaged: its bytes have sha256 " + actual);
                }
            }
            done[0]++;
            done[1] += size;
            progress.progress("artifacts", done[1], counts.artifactBytes());
            checkInterrupt();
        });
    }

    /**
     * Visits the artifacts to carry in sha256 order, each once, with one streaming query (one sort,
     * not one per page): those the selected units link to, less those a target's base already links
     * to (the importer has them). When the links are a quarter or more of the installation's
     * artifacts, the query walks the sha256 index and probes the selection instead: on H2, sorting
     * a million selected rows spilled to disk for minutes, while the index is already in order.
     */
    private static void forEachArtifact(Session session, Selection scratch, List<Target> targets, long links,
            ArtifactListSpool.Visitor visitor) throws IOException {
        try {
            session.doWork(connection -> {
                long stored;
                try (PreparedStatement count = connection.prepareStatement("select count(*) from artifact");
                        ResultSet rows = count.executeQuery()) {
                    rows.next();
                    stored = rows.getLong(1);
                }
                String sql = links * 4 >= stored
                        ? "select a.id, a.sha256, a.size from artifact a where exists (select 1 from content_artifact ca join "
                                + scratch.table() + " s on s.content_id = ca.content_id where ca.artifact_id = a.id"
                                + " and s.draft_id = ? and s.op = 'E') order by a.sha256"
                        : "select distinct a.id, a.sha256, a.size from " + scratch.table() + " s join content_artifact ca"
                                + " on ca.content_id = s.content_id join artifact a on a.id = ca.artifact_id"
                                + " where s.draft_id = ? and s.op = 'E' order by a.sha256";
                BaseFilter filter = new BaseFilter(connection, targets.stream().flatMap(t -> t.base().stream()).toList(), visitor);
                try (PreparedStatement query = connection.prepareStatement(sql)) {
                    query.setObject(1, scratch.id());
                    query.setFetchSize(BATCH);
                    try (ResultSet result = query.executeQuery()) {
                        while (result.next()) {
                            filter.add(result.getObject(1, UUID.class), result.getString(2), result.getLong(3));
                        }
                    }
                }
                filter.flush();
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Passes on the artifacts no base links to, in the order given, checking them against the bases a
     * batch at a time. One statement per batch bounds what a bad plan costs: PostgreSQL, planning
     * with the statistics from before a large commit (a base of 100,000 units taken for 57), scanned
     * the whole base membership once per artifact when the check was part of the listing query,
     * however told (hashed, 11.9 s for 1,000 artifacts; materialized, 7.5 s; by index, 5.7 s).
     */
    private static final class BaseFilter {
        private final Connection connection;
        private final List<RepositoryVersion> bases;
        private final ArtifactListSpool.Visitor visitor;
        private final List<Candidate> pending = new ArrayList<>();

        private record Candidate(UUID id, String sha256, long size) {
        }

        BaseFilter(Connection connection, List<RepositoryVersion> bases, ArtifactListSpool.Visitor visitor) {
            this.connection = connection;
            this.bases = bases;
            this.visitor = visitor;
        }

        void add(UUID id, String sha256, long size) throws SQLException {
            if (bases.isEmpty()) {
                visit(sha256, size);
                return;
            }
            pending.add(new Candidate(id, sha256, size));
            if (pending.size() == BATCH) {
                flush();
            }
        }

        void flush() throws SQLException {
            if (pending.isEmpty()) {
                return;
            }
            java.util.Set<UUID> known = new java.util.HashSet<>();
            String marks = String.join(",", java.util.Collections.nCopies(pending.size(), "?"));
            for (RepositoryVersion base : bases) {
                try (PreparedStatement query = connection.prepareStatement("select distinct cb.artifact_id from content_artifact cb"
                        + " join repository_content b on b.content_id = cb.content_id where cb.artifact_id in (" + marks + ") and "
                        + VersionMembership.sql("b"))) {
                    int i = 1;
                    for (Candidate candidate : pending) {
                        query.setObject(i++, candidate.id());
                    }
                    VersionMembership.bind(query, i, base);
                    try (ResultSet rows = query.executeQuery()) {
                        while (rows.next()) {
                            known.add(rows.getObject(1, UUID.class));
                        }
                    }
                }
            }
            for (Candidate candidate : pending) {
                if (!known.contains(candidate.id())) {
                    visit(candidate.sha256(), candidate.size());
                }
            }
            pending.clear();
        }

        private void visit(String sha256, long size) {
            try {
                visitor.visit(sha256, size);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private void writeContent(Session session, ArchiveWriter writer, Selection scratch, Counts counts, ProgressListener progress)
            throws IOException {
        long total = counts.units();
        long[] done = {0};
        Path links = writer.spoolFile("links");
        List<String> types = new ArrayList<>(counts.content().keySet());
        List<String> order = airlock.plugins().importOrder(); // a type after the types its units refer to
        types.sort(Comparator.comparingInt(order::indexOf));
        try (OutputStream linkOut = new BufferedOutputStream(Files.newOutputStream(links), 1 << 16)) {
            for (String type : types) {
                Path rows = writer.spoolFile(type);
                try (OutputStream rowOut = new BufferedOutputStream(Files.newOutputStream(rows), 1 << 16)) {
                    writeType(session, writer, scratch, type, rowOut, linkOut, done, total, progress);
                }
                writer.putFile(ArchiveNames.contentEntry(type), rows);
            }
        }
        writer.putFile(ArchiveNames.CONTENT_ARTIFACTS, links);
    }

    @SuppressWarnings("unchecked")
    private <T extends Content> void writeType(Session session, ArchiveWriter writer, Selection scratch, String type,
            OutputStream rowOut, OutputStream linkOut, long[] done, long total, ProgressListener progress) throws IOException {
        ContentResource<T> resource = (ContentResource<T>) airlock.plugins().resource(type);
        String entity = airlock.sessionFactory().getMetamodel().entity(resource.entityClass()).getName();
        // PostgreSQL looks a list of ids up by index and hashes it; H2 checks it value by value (see load).
        boolean filesByRange = session.doReturningWork(connection -> io.airlock.core.db.Jdbc.kindOf(connection)
                == io.airlock.spi.DatabaseKind.H2);
        // Units are read in id order, the order their rows were stored in, with one streaming query;
        // each batch of ids is loaded and written to the spool while it stays open (keyset pages would
        // make the database select and sort the remaining units again per page). The spool puts them in
        // key-digest order, in which the importer's inserts into the indexes on key digests (and on the
        // ids it gives the units in that order) append instead of landing all over each B-tree.
        try (KeyOrderSpool spool = new KeyOrderSpool(() -> writer.spoolFile(type + "-run"), SORT_BUDGET)) {
            session.doWork(connection -> {
                try (PreparedStatement query = connection.prepareStatement("select s.content_id from " + scratch.table() + " s"
                        + " join content c on c.id = s.content_id where s.draft_id = ? and s.op = 'E' and c.content_type = ?"
                        + " order by s.content_id")) {
                    query.setObject(1, scratch.id());
                    query.setString(2, type);
                    query.setFetchSize(BATCH);
                    List<UUID> ids = new ArrayList<>(BATCH);
                    try (ResultSet result = query.executeQuery()) {
                        while (result.next()) {
                            ids.add(result.getObject(1, UUID.class));
                            if (ids.size() == BATCH) {
                                writeBatch(session, resource, entity, filesByRange, scratch, type, ids, spool);
                                done[0] += ids.size();
                                progress.progress("content", done[0], total);
                                ids.clear();
                            }
                        }
                    }
                    if (!ids.isEmpty()) {
                        writeBatch(session, resource, entity, filesByRange, scratch, type, ids, spool);
                        done[0] += ids.size();
                        progress.progress("content", done[0], total);
                    }
                }
            });
            spool.drainTo(rowOut, linkOut);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private <T extends Content> void writeBatch(Session session, ContentResource<T> resource, String entity, boolean filesByRange,
            Selection scratch, String type, List<UUID> ids, KeyOrderSpool spool) {
        List<T> units = load(session, resource, entity, ids);
        resource.prepareForWrite(session, units);
        Map<UUID, List<UnitFile>> files = filesByRange
                ? session.doReturningWork(connection -> files(connection, scratch, type, ids))
                : ContentFiles.of(session, ids);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(1024);
        try (JsonGenerator json = Json.mapper().createGenerator(bytes)) {
            for (T unit : units) {
                resource.writeRow(unit, json);
                json.writeRaw('\n');
                json.flush();
                byte[] row = bytes.toByteArray();
                bytes.reset();
                for (UnitFile file : files.getOrDefault(unit.id(), List.of())) {
                    json.writeStartObject();
                    json.writeStringField("unit", unit.keyDigest());
                    json.writeStringField("path", file.relativePath());
                    json.writeStringField("sha256", file.artifact().map(a -> a.sha256()).orElse(null));
                    json.writeEndObject();
                    json.writeRaw('\n');
                }
                json.flush();
                spool.add(HexFormat.of().parseHex(unit.keyDigest()), row, bytes.toByteArray());
                bytes.reset();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        session.clear();
        checkInterrupt();
    }

    /**
     * The units of {@code ids} (consecutive ids of the selection, ascending). H2 checks a list of
     * parameters ({@code id in (?, …)}) against every row it returns value by value, a thousand
     * comparisons per unit for a batch of a thousand (1.2 s of a 100,000-unit export); a range is
     * checked in two. The range is loaded when it holds few other units of the type, and the list
     * otherwise.
     */
    private static <T extends Content> List<T> load(Session session, ContentResource<T> resource, String entity, List<UUID> ids) {
        int bound = 2 * ids.size();
        // By primary key (Jdbc.preferringIndexes): with stale statistics PostgreSQL scanned the tables whole per batch.
        List<T> range = io.airlock.core.db.Jdbc.preferringIndexes(session, () -> session.createSelectionQuery(
                "from " + entity + " e where e.id >= :first and e.id <= :last order by e.id", resource.entityClass())
                .setParameter("first", ids.get(0)).setParameter("last", ids.get(ids.size() - 1))
                .setMaxResults(bound).getResultList());
        if (range.size() < bound) {
            java.util.Set<UUID> wanted = new java.util.HashSet<>(ids);
            return range.stream().filter(unit -> wanted.contains(unit.id())).toList();
        }
        return io.airlock.core.db.Jdbc.preferringIndexes(session, () -> session.createSelectionQuery(
                "from " + entity + " where id in :ids", resource.entityClass()).setParameter("ids", ids).getResultList());
    }

    /**
     * The files of the selected units of {@code type} from the first to the last of {@code ids}, by
     * unit id, ordered by relative path: {@link ContentFiles#of} without its list of ids, for H2 (see
     * {@link #load}). On PostgreSQL, planning with the statistics from before a large commit, this
     * join read every unit of the type per batch.
     */
    private static Map<UUID, List<UnitFile>> files(Connection connection, Selection scratch, String type, List<UUID> ids)
            throws SQLException {
        Map<UUID, List<UnitFile>> files = new java.util.HashMap<>();
        io.airlock.core.db.Jdbc.preferringIndexes(connection, () -> {
            try (PreparedStatement query = connection.prepareStatement("select s.content_id, ca.relative_path, a.sha256, a.size"
                    + " from " + scratch.table() + " s join content c on c.id = s.content_id"
                    + " join content_artifact ca on ca.content_id = s.content_id left join artifact a on a.id = ca.artifact_id"
                    + " where s.draft_id = ? and s.op = 'E' and s.content_id >= ? and s.content_id <= ? and c.content_type = ?"
                    + " order by s.content_id, ca.relative_path")) {
                query.setObject(1, scratch.id());
                query.setObject(2, ids.get(0));
                query.setObject(3, ids.get(ids.size() - 1));
                query.setString(4, type);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        ContentFiles.add(files, rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3), rows.getLong(4));
                    }
                }
            }
            return null;
        });
        return files;
    }

    private static void checkInterrupt() {
        Cancellation.check("export");
    }

    private static void checkExporterName(String exporter) {
        if (!exporter.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,254}")) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, "'" + exporter + "' is not a valid exporter name");
        }
    }
}
