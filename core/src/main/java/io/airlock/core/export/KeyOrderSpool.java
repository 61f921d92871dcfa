package io.airlock.core.export;

import io.airlock.core.store.SortedSpool;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Comparator;

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

    /** One unit: its key digest (32 bytes), its row line and its link lines, each with its newline. */
    private record Unit(byte[] key, byte[] row, byte[] links) {
    }

    private static final Comparator<Unit> BY_KEY = (a, b) -> Arrays.compareUnsigned(a.key(), b.key());

    private static final SortedSpool.Codec<Unit> CODEC = new SortedSpool.Codec<>() {
        @Override
        public void write(DataOutputStream out, Unit unit) throws IOException {
            out.write(unit.key());
            out.writeInt(unit.row().length);
            out.write(unit.row());
            out.writeInt(unit.links().length);
            out.write(unit.links());
        }

        @Override
        public Unit read(DataInputStream in) throws IOException {
            byte[] key = new byte[32];
            in.readFully(key);
            byte[] row = new byte[in.readInt()];
            in.readFully(row);
            byte[] links = new byte[in.readInt()];
            in.readFully(links);
            return new Unit(key, row, links);
        }

        @Override
        public long size(Unit unit) {
            return unit.key().length + unit.row().length + unit.links().length + OVERHEAD;
        }
    };

    private final SortedSpool<Unit> units;

    /** Runs go to files from {@code runFiles}, deleted when drained or closed; at most about {@code budget} bytes stay in memory. */
    KeyOrderSpool(SortedSpool.RunFiles runFiles, long budget) {
        this.units = new SortedSpool<>(BY_KEY, CODEC, runFiles, budget);
    }

    void add(byte[] key, byte[] row, byte[] links) throws IOException {
        if (key.length != 32) {
            throw new IllegalArgumentException("a key digest is 32 bytes, not " + key.length);
        }
        units.add(new Unit(key, row, links));
    }

    /** Writes every unit's row to {@code rows} and its links to {@code links}, in key order; the runs are deleted. */
    void drainTo(OutputStream rows, OutputStream links) throws IOException {
        units.drain(unit -> {
            rows.write(unit.row());
            links.write(unit.links());
        });
    }

    @Override
    public void close() throws IOException {
        units.close();
    }
}
