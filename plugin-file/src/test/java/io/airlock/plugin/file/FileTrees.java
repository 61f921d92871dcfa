package io.airlock.plugin.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.core.Airlock;
import io.airlock.core.model.RepositoryVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Directory trees of small files for the tests that run many writers, and what their versions hold. */
final class FileTrees {

    private FileTrees() {
    }

    /** {@code count} files under {@code prefix}, each with its own bytes (about 1 KiB). */
    static Map<String, String> files(String prefix, int count) {
        Map<String, String> files = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            files.put(prefix + String.format("f%03d.bin", i), (prefix + i + " ").repeat(100));
        }
        return files;
    }

    /** Writes the files (relative path → text) under {@code root}; returns {@code root}. */
    static Path tree(Path root, Map<String, String> files) {
        try {
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path path = root.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue());
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The units files become, as "path sha256". */
    static Set<String> keys(Map<String, String> files) {
        return files.entrySet().stream().map(f -> f.getKey() + " " + sha256(f.getValue()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file units of each version of a repository, as "path sha256", by version number. */
    static Map<Integer, Set<String>> versionContents(Airlock airlock, String repository) {
        Map<Integer, Set<String>> contents = new TreeMap<>();
        for (RepositoryVersion version : airlock.repositories().versions(repository)) {
            Set<String> units = new TreeSet<>();
            airlock.repositories().scanContent(version, Optional.of(FileContent.TYPE), 1000, batch -> batch.forEach(unit ->
                    units.add(((FileContent) unit).relativePath() + " " + ((FileContent) unit).sha256())));
            assertThat(units).as("%s@%d", repository, version.number()).hasSize((int) version.contentCount());
            contents.put(version.number(), units);
        }
        return contents;
    }
}
