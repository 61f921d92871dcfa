package io.airlock.core.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Strings added in any order come back sorted, each once, whether or not they spilled to runs on disk. */
final class SortedStringsTest {

    @TempDir
    Path directory;

    @Test
    void stringsWithinTheBudgetComeBackSortedWithoutAFile() throws Exception {
        List<String> values = shuffledPaths(500, 1);
        List<String> read = new ArrayList<>();

        try (SortedStrings sorted = new SortedStrings(directory, 1_000_000)) {
            for (String value : values) {
                sorted.add(value);
            }
            sorted.forEach(read::add);
            assertThat(files()).isEmpty();
        }

        assertThat(read).isSorted().containsExactlyInAnyOrderElementsOf(values);
    }

    @Test
    void stringsPastTheBudgetAreMergedFromSortedRunsAndTheRunsRemovedOnClose() throws Exception {
        List<String> values = shuffledPaths(20_000, 2);
        values.add("é/ü/ñ.rpm"); // not ASCII: the runs hold UTF-8
        values.add(values.get(0)); // a duplicate comes back twice
        List<String> read = new ArrayList<>();

        try (SortedStrings sorted = new SortedStrings(directory, 50_000)) {
            for (String value : values) {
                sorted.add(value);
            }
            sorted.forEach(read::add);
            assertThat(files()).hasSizeGreaterThan(10);
        }

        assertThat(read).isSorted().containsExactlyInAnyOrderElementsOf(values);
        assertThat(files()).isEmpty();
    }

    private static List<String> shuffledPaths(int count, long seed) {
        Random random = new Random(seed);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add("dir" + random.nextInt(50) + "/sub" + random.nextInt(7) + "/file-" + Integer.toHexString(random.nextInt()));
        }
        return values;
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }
}
