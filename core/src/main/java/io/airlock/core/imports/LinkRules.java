package io.airlock.core.imports;

import io.airlock.core.archive.ArchiveNames;
import io.airlock.core.archive.ArchiveReader;
import io.airlock.core.store.RelativePaths;
import io.airlock.core.store.Sha256;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Content;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.FileDigest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules a {@code content_artifacts.jsonl} line must follow, shared by import and verify so
 * that both refuse the same lines with the same words: a link names a unit the archive carries,
 * once per path, and its file matches the unit's own digest where the type has one.
 */
final class LinkRules {

    private LinkRules() {
    }

    /** A unit as messages name it: {@code type:label}, abbreviated. */
    static String label(Content unit) {
        return RelativePaths.printable(unit.typeId() + ":" + unit.label());
    }

    /** A row read as its type, with its identity assigned and the file digest its type records. */
    record ReadRow(Content unit, Optional<FileDigest> own) {
    }

    /**
     * Reads {@code row} as a unit of {@code type} and assigns its identity; a row the resource
     * refuses, or trips over (a missing field read as null), is ARCHIVE_INVALID at {@code where},
     * not a database failure.
     */
    static ReadRow readRow(io.airlock.core.plugin.PluginRegistry plugins, String type,
            com.fasterxml.jackson.databind.node.ObjectNode row, String where, io.airlock.spi.ContentResource.RowReader references) {
        try {
            Content unit = plugins.resource(type).readRow(row, references);
            io.airlock.spi.ContentResource<Content> resource = plugins.resourceOf(unit);
            unit.assignIdentity(resource.naturalKey(unit));
            return new ReadRow(unit, resource.fileDigest(unit));
        } catch (DeferredRows.ForwardReference e) {
            throw e;
        } catch (AirlockException e) {
            throw new AirlockException(ErrorCode.ARCHIVE_INVALID, where + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new AirlockException(ErrorCode.ARCHIVE_INVALID, where + ": the row cannot be read as " + type + " ("
                    + e.toString().lines().findFirst().orElse("") + ")", e);
        }
    }

    static AirlockException duplicate(String at, String unit, String path) {
        return new AirlockException(ErrorCode.ARCHIVE_INVALID, at + ": unit " + unit + " is given file '"
                + RelativePaths.printable(path) + "' a second time");
    }

    static AirlockException notCarried(String at, String unit) {
        return new AirlockException(ErrorCode.ARCHIVE_INVALID, at + ": unit " + unit
                + " is not one of this export's units; links attach files only to units whose rows the export carries");
    }

    static AirlockException mismatch(String at, String path, String label, String algorithm, String actual, String expected) {
        return new AirlockException(ErrorCode.CHECKSUM_MISMATCH, at + ": file '" + RelativePaths.printable(path) + "' of " + label
                + " has " + algorithm + " " + actual + ", but the unit's own " + algorithm + " is " + expected);
    }

    /** One link to check against its unit's own digest of another algorithm than SHA-256. */
    record Check(String at, String path, String label, FileDigest own) {
    }

    /** Hashes {@code bytes} (the artifact {@code sha256}) once per algorithm the checks need; throws at the first mismatch. */
    static void check(InputStream bytes, String sha256, List<Check> checks) throws IOException {
        Map<String, MessageDigest> digests = new LinkedHashMap<>();
        for (Check check : checks) {
            digests.computeIfAbsent(check.own().algorithm(), algorithm -> digest(algorithm, check));
        }
        MessageDigest whole = Sha256.newDigest();
        byte[] buffer = new byte[1 << 16];
        for (int n = bytes.read(buffer); n >= 0; n = bytes.read(buffer)) {
            whole.update(buffer, 0, n);
            for (MessageDigest digest : digests.values()) {
                digest.update(buffer, 0, n);
            }
        }
        String actualSha256 = HexFormat.of().formatHex(whole.digest());
        if (!actualSha256.equals(sha256)) {
            // The bytes are not those the first pass (or the store) verified: the file changed meanwhile.
            throw new AirlockException(ErrorCode.CHECKSUM_MISMATCH, checks.get(0).at() + ": artifact " + sha256
                    + " has changed while it was read (its bytes now have sha256 " + actualSha256 + ")");
        }
        Map<String, String> results = new LinkedHashMap<>();
        digests.forEach((algorithm, digest) -> results.put(algorithm, HexFormat.of().formatHex(digest.digest())));
        for (Check check : checks) {
            String actual = results.get(check.own().algorithm());
            if (!actual.equals(check.own().hex())) {
                throw mismatch(check.at(), check.path(), check.label(), check.own().algorithm(), actual, check.own().hex());
            }
        }
    }

    private static MessageDigest digest(String algorithm, Check check) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new AirlockException(ErrorCode.ARCHIVE_INVALID, check.at() + ": " + check.label()
                    + " records its file's digest as '" + RelativePaths.printable(algorithm) + "', which cannot be computed here");
        }
    }

    /**
     * For checks whose artifacts the archive carries but no store holds (verify, a dry run): reads
     * the archive's artifact entries a second time and checks the ones named. {@code bySha256} is
     * keyed by artifact sha256.
     */
    static void checkCarried(Path archive, Map<String, List<Check>> bySha256) {
        int found = 0;
        try (ArchiveReader reader = ArchiveReader.open(archive)) {
            for (ArchiveReader.Entry entry = reader.next(); entry != null && found < bySha256.size(); entry = reader.next()) {
                if (entry.name().startsWith("content/") || entry.name().equals(ArchiveNames.CONTENT_ARTIFACTS)) {
                    break; // past the artifacts
                }
                String sha256 = ArchiveNames.artifactSha256(entry.name());
                List<Check> checks = sha256 == null ? null : bySha256.get(sha256);
                if (checks != null) {
                    check(entry.content(), sha256, checks);
                    found++;
                }
            }
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read " + archive + ": " + e.getMessage(), e);
        }
        if (found < bySha256.size()) {
            // The first read found them: the archive changed in between.
            Check first = bySha256.values().iterator().next().get(0);
            throw new AirlockException(ErrorCode.ARCHIVE_INVALID, first.at() + ": the artifacts of " + (bySha256.size() - found)
                    + " link(s) were not found when " + archive + " was read again");
        }
    }
}
