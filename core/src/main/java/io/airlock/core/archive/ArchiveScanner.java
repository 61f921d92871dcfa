package io.airlock.core.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airlock.core.store.RelativePaths;
import io.airlock.core.store.Sha256;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Cancellation;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.Messages;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Walks an export's tar stream once, in the order docs/archive-format.md fixes, checking every
 * name, size, count and digest the archive declares, and hands each piece to a {@link Sink}. The
 * import engine and {@code verify} are two sinks over this one walk.
 */
public final class ArchiveScanner {

    /** Receives the archive's pieces in order. Sinks may throw {@link AirlockException} to stop. */
    public interface Sink {
        /** The manifest, before anything else; a sink checks plugins and repositories here. */
        void manifest(Manifest manifest);

        /**
         * The next artifacts of the list (up to 1,000), before their bytes are delivered: lets a
         * sink look up in bulk which it already has.
         */
        default void artifactsListed(java.util.List<io.airlock.core.store.StoredArtifact> next) {
        }

        /**
         * An artifact's bytes, announced by the artifact list; {@code bytes} yields exactly
         * {@code size} bytes. The sink must read them all and verify the sha256 (a store does so
         * while writing).
         */
        void artifact(String sha256, long size, InputStream bytes) throws IOException;

        /** One row of a content type, with where it is for messages. */
        void row(String type, ObjectNode row, String where);

        /** All rows of a type have been delivered. */
        default void endOfType(String type) {
        }

        /** One file of a unit (by key digest); {@code sha256} empty for an on-demand file. */
        void link(String unitDigest, String path, Optional<String> sha256, String where);

        /** All links delivered. */
        default void endOfLinks() {
        }

        /** The key digests of the i-th repository's membership, in ascending order, in batches. */
        void members(int repository, java.util.List<String> keyDigests, String where);

        /**
         * For a repository whose membership is a delta: the key digests it adds to the base's
         * membership, in ascending order, in batches.
         */
        void membersAdded(int repository, java.util.List<String> keyDigests, String where);

        /**
         * For a repository whose membership is a delta: the key digests it removes from the base's
         * membership, in ascending order, in batches (after every added one).
         */
        void membersRemoved(int repository, java.util.List<String> keyDigests, String where);

        /**
         * The i-th repository's membership is complete: a complete list with its digest checked, or
         * a delta whose entries are well-formed and disjoint (its result is checked by the importer).
         */
        void endOfMembership(int repository);
    }

    private static final int MEMBER_BATCH = 500;
    private static final int LIST_BATCH = 1000;
    /** Rows or links between two checks for cancellation. */
    private static final int CHECK_EVERY = 100;

    private final ArchiveReader reader;
    private final Path scratch;

    /** @param scratch a directory for spooling the artifact list while artifacts are read */
    public ArchiveScanner(ArchiveReader reader, Path scratch) {
        this.reader = reader;
        this.scratch = scratch;
    }

    /**
     * Walks the archive. A failure that may come from damaged bytes (an invalid archive, a checksum
     * mismatch) is reported as the damaged TOC file instead, when the file being read turns out to be one.
     */
    public Manifest scan(Sink sink) throws IOException {
        try {
            return walk(sink);
        } catch (AirlockException e) {
            if (e.code() == ErrorCode.ARCHIVE_INVALID || e.code() == ErrorCode.CHECKSUM_MISMATCH) {
                throw reader.explain(e);
            }
            throw e;
        }
    }

    private Manifest walk(Sink sink) throws IOException {
        String source = "export " + reader.source();
        ArchiveReader.Entry entry = expect(reader.next(), ArchiveNames.MANIFEST, source);
        if (entry.size() > Json.MAX_LINE) {
            throw invalid(source + ": manifest.json is larger than " + Json.MAX_LINE + " bytes");
        }
        Manifest manifest = Manifest.parse(entry.content().readNBytes((int) entry.size()), source + ", manifest.json");
        sink.manifest(manifest);

        entry = expect(reader.next(), ArchiveNames.ARTIFACT_LIST, source);
        Path list = Files.createTempFile(scratch, "artifact-list-", ".jsonl");
        try {
            long listed = spoolArtifactList(entry, list, source + ", " + ArchiveNames.ARTIFACT_LIST);
            if (listed != manifest.artifacts()) {
                throw invalid(source + ": the artifact list has " + listed + " artifacts but the manifest says " + manifest.artifacts());
            }
            entry = reader.next();
            long bytes = 0;
            try (InputStream listIn = new BufferedInputStream(Files.newInputStream(list))) {
                JsonLines expected = new JsonLines(listIn, "artifact list");
                java.util.List<io.airlock.core.store.StoredArtifact> upcoming = new java.util.ArrayList<>(LIST_BATCH);
                ObjectNode next = expected.next();
                while (next != null) {
                    upcoming.clear();
                    for (; next != null && upcoming.size() < LIST_BATCH; next = expected.next()) {
                        upcoming.add(new io.airlock.core.store.StoredArtifact(next.get("sha256").asText(), next.get("size").asLong()));
                    }
                    sink.artifactsListed(java.util.List.copyOf(upcoming));
                    for (io.airlock.core.store.StoredArtifact artifact : upcoming) {
                        String name = ArchiveNames.artifactEntry(artifact.sha256());
                        expect(entry, name, source);
                        if (entry.size() != artifact.size()) {
                            throw invalid(source + ", entry '" + name + "' has " + entry.size()
                                    + " bytes but the artifact list says " + artifact.size());
                        }
                        Cancellation.check("reading " + source);
                        sink.artifact(artifact.sha256(), artifact.size(), entry.content());
                        bytes += artifact.size();
                        entry = reader.next();
                    }
                }
            }
            if (bytes != manifest.artifactBytes()) {
                throw invalid(source + ": artifacts hold " + bytes + " bytes but the manifest says " + manifest.artifactBytes());
            }
        } finally {
            Files.deleteIfExists(list);
        }

        Map<String, Long> rows = new HashMap<>();
        while (entry != null && entry.name().startsWith("content/")) {
            String type = ArchiveNames.contentType(entry.name());
            if (type == null) {
                throw invalid(source + ": unexpected entry '" + RelativePaths.printable(entry.name()) + "'");
            }
            if (!manifest.content().containsKey(type)) {
                throw invalid(source + ": entry '" + RelativePaths.printable(entry.name()) + "' holds type " + RelativePaths.printable(type) + ", which the manifest does not list");
            }
            if (rows.containsKey(type)) {
                throw invalid(source + ": entry '" + Messages.cut(entry.name()) + "' appears twice");
            }
            String where = source + ", " + entry.name();
            JsonLines lines = new JsonLines(new BufferedInputStream(entry.content(), 1 << 16), where);
            long count = 0;
            for (ObjectNode row = lines.next(); row != null; row = lines.next()) {
                sink.row(type, row, lines.at());
                if (++count % CHECK_EVERY == 0) {
                    Cancellation.check("reading " + source);
                }
            }
            sink.endOfType(type);
            rows.put(type, count);
            entry = reader.next();
        }
        for (Map.Entry<String, Long> declared : manifest.content().entrySet()) {
            long found = rows.getOrDefault(declared.getKey(), 0L);
            if (found != declared.getValue()) {
                throw invalid(source + ", " + ArchiveNames.contentEntry(declared.getKey()) + " has " + found
                        + " rows but the manifest says " + declared.getValue());
            }
        }

        expect(entry, ArchiveNames.CONTENT_ARTIFACTS, source);
        String linksWhere = source + ", " + ArchiveNames.CONTENT_ARTIFACTS;
        JsonLines links = new JsonLines(new BufferedInputStream(entry.content(), 1 << 16), linksWhere, Json.MAX_LINK_LINE);
        long linkCount = 0;
        for (ObjectNode link = links.next(); link != null; link = links.next()) {
            String at = links.at();
            checkFields(link, at, "unit", "path", "sha256");
            String unit = Manifest.text(link, "unit", at);
            if (!Sha256.isHex(unit)) {
                throw invalid(at + ": 'unit' is not a key digest");
            }
            String path = Manifest.text(link, "path", at);
            try {
                RelativePaths.check(path, at);
            } catch (AirlockException e) {
                throw invalid(e.getMessage());
            }
            JsonNode sha256 = link.get("sha256");
            if (!sha256.isNull() && !(sha256.isTextual() && Sha256.isHex(sha256.asText()))) {
                throw invalid(at + ": 'sha256' is neither null nor a sha256");
            }
            sink.link(unit, path, sha256.isNull() ? Optional.empty() : Optional.of(sha256.asText()), at);
            if (++linkCount % CHECK_EVERY == 0) {
                Cancellation.check("reading " + source);
            }
        }
        sink.endOfLinks();
        if (linkCount != manifest.contentArtifacts()) {
            throw invalid(source + ": " + ArchiveNames.CONTENT_ARTIFACTS + " has " + linkCount
                    + " lines but the manifest says " + manifest.contentArtifacts());
        }

        for (int i = 0; i < manifest.repositories().size(); i++) {
            Manifest.ExportedRepository repository = manifest.repositories().get(i);
            if (repository.delta().isPresent()) {
                readDelta(i, repository, repository.delta().get(), source, sink);
            } else {
                entry = expect(reader.next(), ArchiveNames.membershipEntry(i), source);
                String where = source + ", " + entry.name();
                checkKeyEntrySize(entry, repository.contentCount(), where, "units of " + repository.name());
                MessageDigest digest = Sha256.newDigest();
                int index = i;
                readKeys(entry, repository.contentCount(), where, digest::update, batch -> sink.members(index, batch, where));
                String actual = HexFormat.of().formatHex(digest.digest());
                if (!actual.equals(repository.membershipSha256())) {
                    throw invalid(where + " has sha256 " + actual + " but the manifest says " + repository.membershipSha256());
                }
            }
            sink.endOfMembership(i);
        }
        reader.finish();
        return manifest;
    }

    /**
     * Reads a delta's two entries: the added keys (spooled, 32 bytes each), then the removed keys,
     * merged against the spool as they come, so that a key both added and removed is refused
     * without holding either list in memory.
     */
    private void readDelta(int index, Manifest.ExportedRepository repository, Manifest.MembershipDelta delta, String source,
            Sink sink) throws IOException {
        ArchiveReader.Entry added = expect(reader.next(), ArchiveNames.membershipAddedEntry(index), source);
        String addedWhere = source + ", " + added.name();
        checkKeyEntrySize(added, delta.added(), addedWhere, "keys added to " + repository.name());
        Path spool = Files.createTempFile(scratch, "membership-added-", ".keys");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(spool), 1 << 16)) {
                readKeys(added, delta.added(), addedWhere, key -> out.write(key), batch -> sink.membersAdded(index, batch, addedWhere));
            }
            ArchiveReader.Entry removed = expect(reader.next(), ArchiveNames.membershipRemovedEntry(index), source);
            String removedWhere = source + ", " + removed.name();
            checkKeyEntrySize(removed, delta.removed(), removedWhere, "keys removed from " + repository.name());
            try (InputStream addedKeys = new BufferedInputStream(Files.newInputStream(spool), 1 << 16)) {
                byte[] next = new byte[32];
                boolean[] more = {addedKeys.readNBytes(next, 0, 32) == 32};
                readKeys(removed, delta.removed(), removedWhere, key -> {
                    while (more[0] && Arrays.compareUnsigned(next, key) < 0) {
                        more[0] = addedKeys.readNBytes(next, 0, 32) == 32;
                    }
                    if (more[0] && Arrays.equals(next, key)) {
                        throw invalid(removedWhere + ": key " + HexFormat.of().formatHex(key) + " is also in " + added.name());
                    }
                }, batch -> sink.membersRemoved(index, batch, removedWhere));
            }
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    /** Refuses a key entry that does not hold exactly {@code count} keys of 32 bytes. */
    private static void checkKeyEntrySize(ArchiveReader.Entry entry, long count, String where, String what) {
        // Divided, not multiplied: a hostile count times 32 could overflow to the entry's size.
        if (entry.size() % 32 != 0 || entry.size() / 32 != count) {
            throw invalid(where + " has " + entry.size() + " bytes, not 32 for each of the " + count + " " + what);
        }
    }

    private interface KeyVisitor {
        void visit(byte[] key) throws IOException;
    }

    private interface BatchVisitor {
        void visit(java.util.List<String> keyDigests);
    }

    /** Reads {@code count} keys of 32 bytes in strictly ascending order, handing each to {@code each} and batches of hex to {@code batches}. */
    private static void readKeys(ArchiveReader.Entry entry, long count, String where, KeyVisitor each, BatchVisitor batches)
            throws IOException {
        InputStream in = new BufferedInputStream(entry.content(), 1 << 16);
        HexFormat hex = HexFormat.of();
        byte[] key = new byte[32];
        byte[] previous = null;
        java.util.List<String> batch = new java.util.ArrayList<>(MEMBER_BATCH);
        for (long i = 0; i < count; i++) {
            if (in.readNBytes(key, 0, 32) != 32) {
                throw invalid(where + " ends early");
            }
            if (previous != null && Arrays.compareUnsigned(previous, key) >= 0) {
                throw invalid(where + ": keys are not in strictly ascending order at key " + i);
            }
            previous = key.clone();
            each.visit(key);
            batch.add(hex.formatHex(key));
            if (batch.size() == MEMBER_BATCH) {
                Cancellation.check("reading " + where);
                batches.visit(batch);
                batch = new java.util.ArrayList<>(MEMBER_BATCH);
            }
        }
        if (!batch.isEmpty()) {
            batches.visit(batch);
        }
    }

    /** Copies the artifact list to a file, checking each line; returns the number of artifacts. */
    private long spoolArtifactList(ArchiveReader.Entry entry, Path list, String where) throws IOException {
        JsonLines lines = new JsonLines(new BufferedInputStream(entry.content(), 1 << 16), where, Json.MAX_LINK_LINE);
        long count = 0;
        String previous = "";
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(list))) {
            for (ObjectNode line = lines.next(); line != null; line = lines.next()) {
                String at = lines.at();
                checkFields(line, at, "sha256", "size");
                String sha256 = Manifest.text(line, "sha256", at);
                if (!Sha256.isHex(sha256)) {
                    throw invalid(at + ": 'sha256' is not 64 lower-case hex digits");
                }
                Manifest.number(line, "size", at);
                if (sha256.compareTo(previous) <= 0) {
                    throw invalid(at + ": artifacts are not in strictly ascending sha256 order");
                }
                previous = sha256;
                out.write(Json.mapper().writeValueAsBytes(line));
                out.write('\n');
                count++;
            }
        }
        return count;
    }

    private static void checkFields(ObjectNode node, String where, String... fields) {
        if (node.size() != fields.length) {
            for (var it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!Arrays.asList(fields).contains(name)) {
                    throw invalid(where + ": unknown field '" + Messages.cut(name) + "'");
                }
            }
        }
        for (String field : fields) {
            if (!node.has(field)) {
                throw invalid(where + ": field '" + field + "' is missing");
            }
        }
    }

    private static ArchiveReader.Entry expect(ArchiveReader.Entry entry, String name, String source) {
        if (entry == null) {
            throw invalid(source + " ends before entry '" + name + "'");
        }
        if (!entry.name().equals(name)) {
            throw invalid(source + ": found entry '" + RelativePaths.printable(entry.name()) + "' where '" + name + "' belongs");
        }
        return entry;
    }

    private static AirlockException invalid(String message) {
        return new AirlockException(ErrorCode.ARCHIVE_INVALID, message);
    }
}
