package io.airlock.core.store;

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

/** Values added in any order come back sorted, each once, whether or not they spilled to runs on disk. */
final class SortedSpoolTest {

    @TempDir
    Path directory;

    @Test
    void stringsWithinTheBudgetComeBackSortedWithoutAFile() throws Exception {
        List<String> values = shuffledPaths(500, 1);
        List<String> read = new ArrayList<>();

        try (SortedSpool<String> sorted = spool(1_000_000)) {
            for (String value : values) {
                sorted.add(value);
            }
            sorted.drain(read::add);
            assertThat(files()).isEmpty();
        }

        assertThat(read).isSorted().containsExactlyInAnyOrderElementsOf(values);
    }

    @Test
    void stringsPastTheBudgetAreMergedFromSortedRunsAndTheRunsRemoved() throws Exception {
        List<String> values = shuffledPaths(20_000, 2);
        values.add("é/ü/ñ.rpm"); // not ASCII: the runs hold UTF-8
        values.add(values.get(0)); // a duplicate comes back twice
        List<String> read = new ArrayList<>();

        try (SortedSpool<String> sorted = spool(50_000)) {
            for (String value : values) {
                sorted.add(value);
            }
            assertThat(files()).hasSizeGreaterThan(10);
            sorted.drain(read::add);
        }

        assertThat(read).isSorted().containsExactlyInAnyOrderElementsOf(values);
        assertThat(files()).isEmpty();
    }

    @Test
    void equalValuesComeBackInTheOrderTheyWereAddedAcrossRuns() throws Exception {
        List<String> read = new ArrayList<>();
        // Ordered by their first character only: "a1" … "a9" are equal, added across several runs.
        try (SortedSpool<String> sorted = new SortedSpool<>(java.util.Comparator.comparing(s -> s.charAt(0)), SortedSpool.STRINGS,
                () -> Files.createTempFile(directory, "run-", ".tmp"), 100)) {
            for (String value : List.of("b1", "a1", "a2", "b2", "a3", "a4", "a5", "b3", "a6", "a7", "a8", "a9")) {
                sorted.add(value);
            }
            sorted.drain(read::add);
        }

        assertThat(read).containsExactly("a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "b1", "b2", "b3");
    }

    private SortedSpool<String> spool(long budget) {
        return new SortedSpool<>(java.util.Comparator.naturalOrder(), SortedSpool.STRINGS,
                () -> Files.createTempFile(directory, "run-", ".tmp"), budget);
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
