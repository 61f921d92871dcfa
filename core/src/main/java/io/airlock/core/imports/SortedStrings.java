package io.airlock.core.imports;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Strings put in any order and read back in {@link String#compareTo} order, in bounded memory:
 * up to a budget of characters they are sorted in memory, past it in sorted runs written to files
 * in {@code directory} and merged when read. H2 sorts a result of more than about 9,600 rows at
 * {@code -Xmx256m} on disk, far more slowly (a million paths: 24 s).
 */
final class SortedStrings implements AutoCloseable {

    /** Reads the strings in order; the order {@link SortedStrings} gives them. */
    @FunctionalInterface
    interface Visitor {
        void visit(String value) throws java.sql.SQLException;
    }

    private final Path directory;
    private final long budget;
    private final List<String> memory = new ArrayList<>();
    private final List<Path> runs = new ArrayList<>();
    private long characters;

    /** {@code budget}: characters held in memory before a sorted run is written. */
    SortedStrings(Path directory, long budget) {
        this.directory = directory;
        this.budget = budget;
    }

    void add(String value) throws IOException {
        memory.add(value);
        characters += value.length() + 20; // and the list's and the object's share
        if (characters >= budget) {
            spill();
        }
    }

    /** Visits every string added, in order, once. */
    void forEach(Visitor visitor) throws IOException, java.sql.SQLException {
        memory.sort(null);
        if (runs.isEmpty()) {
            for (String value : memory) {
                visitor.visit(value);
            }
            return;
        }
        spill();
        List<Run> open = new ArrayList<>();
        try {
            PriorityQueue<Run> heads = new PriorityQueue<>((a, b) -> a.head.compareTo(b.head));
            for (Path file : runs) {
                Run run = new Run(file);
                open.add(run);
                if (run.advance()) {
                    heads.add(run);
                }
            }
            while (!heads.isEmpty()) {
                Run run = heads.poll();
                visitor.visit(run.head);
                if (run.advance()) {
                    heads.add(run);
                }
            }
        } finally {
            for (Run run : open) {
                run.in.close();
            }
        }
    }

    private void spill() throws IOException {
        if (memory.isEmpty()) {
            return;
        }
        memory.sort(null);
        Path file = Files.createTempFile(directory, "sorted-", ".run");
        runs.add(file);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            for (String value : memory) {
                byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        }
        memory.clear();
        characters = 0;
    }

    @Override
    public void close() {
        memory.clear();
        for (Path run : runs) {
            try {
                Files.deleteIfExists(run);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        runs.clear();
    }

    /** One sorted run, read a string at a time. */
    private static final class Run {
        private final DataInputStream in;
        private String head;

        Run(Path file) throws IOException {
            this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        }

        boolean advance() throws IOException {
            int length;
            try {
                length = in.readInt();
            } catch (EOFException end) {
                head = null;
                return false;
            }
            head = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            return true;
        }
    }
}
