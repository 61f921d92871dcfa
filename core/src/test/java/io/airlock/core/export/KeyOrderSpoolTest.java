package io.airlock.core.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Units added in any order come out in key order, their rows and links together, whether or not they spilled to disk. */
final class KeyOrderSpoolTest {

    @TempDir
    Path directory;

    @Test
    void unitsThatFitTheBudgetComeOutInKeyOrder() throws Exception {
        List<String> drained = drain(100, 1 << 20);

        assertThat(drained).isSortedAccordingTo(String::compareTo).hasSize(100);
    }

    @Test
    void unitsSpilledToManyRunsAreMergedInKeyOrderWithTheirLinks() throws Exception {
        int units = 5_000;
        ByteArrayOutputStream rows = new ByteArrayOutputStream();
        ByteArrayOutputStream links = new ByteArrayOutputStream();
        List<Path> runs = new ArrayList<>();
        try (KeyOrderSpool spool = new KeyOrderSpool(() -> {
            Path run = Files.createTempFile(directory, "run-", ".tmp");
            runs.add(run);
            return run;
        }, 16 << 10)) {
            for (int i = 0; i < units; i++) {
                String key = keyOf(i);
                spool.add(HexFormat.of().parseHex(key), line("row " + key), line("link " + key + " a"));
            }
            spool.drainTo(rows, links);
        }

        List<String> rowKeys = rows.toString(StandardCharsets.UTF_8).lines().map(l -> l.substring(4)).toList();
        List<String> linkKeys = links.toString(StandardCharsets.UTF_8).lines().map(l -> l.split(" ")[1]).toList();
        assertThat(runs).hasSizeGreaterThan(10);
        assertThat(rowKeys).hasSize(units).doesNotHaveDuplicates().isSortedAccordingTo(String::compareTo);
        assertThat(linkKeys).isEqualTo(rowKeys);
        assertThat(runs).allMatch(run -> !Files.exists(run));
    }

    @Test
    void aUnitWithoutLinksAndOneWithSeveralKeepTheirOwn() throws Exception {
        ByteArrayOutputStream rows = new ByteArrayOutputStream();
        ByteArrayOutputStream links = new ByteArrayOutputStream();
        try (KeyOrderSpool spool = new KeyOrderSpool(() -> Files.createTempFile(directory, "run-", ".tmp"), 1)) {
            spool.add(HexFormat.of().parseHex("ff".repeat(32)), line("last"), concat(line("last a"), line("last b")));
            spool.add(HexFormat.of().parseHex("00".repeat(32)), line("first"), new byte[0]);
            spool.drainTo(rows, links);
        }

        assertThat(rows.toString(StandardCharsets.UTF_8)).isEqualTo("first\nlast\n");
        assertThat(links.toString(StandardCharsets.UTF_8)).isEqualTo("last a\nlast b\n");
        try (Stream<Path> left = Files.list(directory)) {
            assertThat(left).isEmpty();
        }
    }

    private List<String> drain(int units, long budget) throws Exception {
        ByteArrayOutputStream rows = new ByteArrayOutputStream();
        try (KeyOrderSpool spool = new KeyOrderSpool(() -> Files.createTempFile(directory, "run-", ".tmp"), budget)) {
            for (int i = 0; i < units; i++) {
                String key = keyOf(i);
                spool.add(HexFormat.of().parseHex(key), line(key), new byte[0]);
            }
            spool.drainTo(rows, new ByteArrayOutputStream());
        }
        return rows.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static String keyOf(int i) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(("unit " + i).getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] line(String text) {
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
