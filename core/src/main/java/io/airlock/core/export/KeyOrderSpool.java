package io.airlock.core.export;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Puts one type's exported units (each a row line and its link lines) into key-digest order outside
 * the database: units are added in the order the database reads them cheaply (by id), sorted in
 * memory in runs of at most {@code budget} bytes, and merged when drained. Loading the units in key
 * order instead reads their rows all over the tables: at a million units that took minutes of page
 * reads through H2's cache (docs/performance.md).
 */
final class KeyOrderSpool implements Closeable {

    /** Bytes a unit costs in a run beyond its key, row and links (object headers, references). */
    private static final int OVERHEAD = 96;

    private final RunFiles runFiles;
    private final long budget;
    private final List<Unit> buffered = new ArrayList<>();
    private final List<Path> runs = new ArrayList<>();
    private long bufferedBytes;

    /** One unit: its key digest (32 bytes), its row line and its link lines, each with its newline. */
    private record Unit(byte[] key, byte[] row, byte[] links) {
    }

    private static final Comparator<Unit> BY_KEY = (a, b) -> Arrays.compareUnsigned(a.key(), b.key());

    /** Creates the file for the next sorted run (an empty temporary file). */
    @FunctionalInterface
    interface RunFiles {
        Path next() throws IOException;
    }

    /** Runs go to files from {@code runFiles}, deleted when drained or closed; at most about {@code budget} bytes stay in memory. */
    KeyOrderSpool(RunFiles runFiles, long budget) {
        this.runFiles = runFiles;
        this.budget = budget;
    }

    void add(byte[] key, byte[] row, byte[] links) throws IOException {
        if (key.length != 32) {
            throw new IllegalArgumentException("a key digest is 32 bytes, not " + key.length);
        }
        buffered.add(new Unit(key, row, links));
        bufferedBytes += key.length + row.length + links.length + OVERHEAD;
        if (bufferedBytes >= budget) {
            spill();
        }
    }

    /** Writes every unit's row to {@code rows} and its links to {@code links}, in key order; the runs are deleted. */
    void drainTo(OutputStream rows, OutputStream links) throws IOException {
        if (runs.isEmpty()) {
            buffered.sort(BY_KEY);
            for (Unit unit : buffered) {
                rows.write(unit.row());
                links.write(unit.links());
            }
            buffered.clear();
            bufferedBytes = 0;
            return;
        }
        if (!buffered.isEmpty()) {
            spill();
        }
        List<DataInputStream> inputs = new ArrayList<>();
        try {
            PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> {
                int order = BY_KEY.compare(a.unit(), b.unit());
                return order != 0 ? order : Integer.compare(a.run(), b.run());
            });
            for (int i = 0; i < runs.size(); i++) {
                DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(runs.get(i)), 1 << 16));
                inputs.add(in);
                Unit first = read(in);
                if (first != null) {
                    heads.add(new Head(first, i));
                }
            }
            for (Head head = heads.poll(); head != null; head = heads.poll()) {
                rows.write(head.unit().row());
                links.write(head.unit().links());
                Unit next = read(inputs.get(head.run()));
                if (next != null) {
                    heads.add(new Head(next, head.run()));
                }
            }
        } finally {
            for (DataInputStream in : inputs) {
                in.close();
            }
            deleteRuns();
        }
    }

    private record Head(Unit unit, int run) {
    }

    private void spill() throws IOException {
        buffered.sort(BY_KEY);
        Path run = runFiles.next();
        runs.add(run);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run), 1 << 16))) {
            for (Unit unit : buffered) {
                out.write(unit.key());
                out.writeInt(unit.row().length);
                out.write(unit.row());
                out.writeInt(unit.links().length);
                out.write(unit.links());
            }
        }
        buffered.clear();
        bufferedBytes = 0;
    }

    private static Unit read(DataInputStream in) throws IOException {
        byte[] key = new byte[32];
        int first = in.read();
        if (first < 0) {
            return null;
        }
        key[0] = (byte) first;
        in.readFully(key, 1, 31);
        byte[] row = new byte[in.readInt()];
        in.readFully(row);
        byte[] links = new byte[in.readInt()];
        in.readFully(links);
        return new Unit(key, row, links);
    }

    private void deleteRuns() throws IOException {
        for (Path run : runs) {
            Files.deleteIfExists(run);
        }
        runs.clear();
    }

    @Override
    public void close() throws IOException {
        buffered.clear();
        deleteRuns();
    }
}
