package io.airlock.core.store;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Values added in any order and read back in {@code order}, in bounded memory: up to a budget of
 * bytes they are sorted in memory, past it in sorted runs written to files and merged when
 * drained. Equal values come back in the order they were added. For sorts the database would do
 * slowly: H2 sorts a result of more than about 9,600 rows at {@code -Xmx256m} on disk.
 */
public final class SortedSpool<T> implements Closeable {

    /** How a value is written to a run and read back, and about how many bytes of memory it holds. */
    public interface Codec<T> {
        void write(DataOutputStream out, T value) throws IOException;

        T read(DataInputStream in) throws IOException;

        long size(T value);
    }

    /** Strings as their UTF-8 bytes after their length, each costing at most its characters' share and 40 bytes. */
    public static final Codec<String> STRINGS = new Codec<>() {
        @Override
        public void write(DataOutputStream out, String value) throws IOException {
            byte[] bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.writeInt(bytes.length);
            out.write(bytes);
        }

        @Override
        public String read(DataInputStream in) throws IOException {
            return new String(in.readNBytes(in.readInt()), java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public long size(String value) {
            return 2L * value.length() + 40; // the characters at most, and the string's and the list's share
        }
    };

    /** Creates the file for the next sorted run (an empty temporary file). */
    @FunctionalInterface
    public interface RunFiles {
        Path next() throws IOException;
    }

    /** Receives the values in order. */
    @FunctionalInterface
    public interface Visitor<T> {
        void visit(T value) throws IOException;
    }

    private final Comparator<? super T> order;
    private final Codec<T> codec;
    private final RunFiles runFiles;
    private final long budget;
    private final List<T> buffered = new ArrayList<>();
    private final List<Run> runs = new ArrayList<>();
    private long bufferedBytes;

    /** Runs go to files from {@code runFiles}, deleted when drained or closed; at most about {@code budget} bytes stay in memory. */
    public SortedSpool(Comparator<? super T> order, Codec<T> codec, RunFiles runFiles, long budget) {
        this.order = order;
        this.codec = codec;
        this.runFiles = runFiles;
        this.budget = budget;
    }

    public void add(T value) throws IOException {
        buffered.add(value);
        bufferedBytes += codec.size(value);
        if (bufferedBytes >= budget) {
            spill();
        }
    }

    /** Gives every value added to {@code visitor}, in order, once; the runs are deleted. */
    public void drain(Visitor<T> visitor) throws IOException {
        if (runs.isEmpty()) {
            buffered.sort(order);
            for (T value : buffered) {
                visitor.visit(value);
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
            PriorityQueue<Head<T>> heads = new PriorityQueue<>((a, b) -> {
                int byValue = order.compare(a.value(), b.value());
                return byValue != 0 ? byValue : Integer.compare(a.run(), b.run());
            });
            long[] left = new long[runs.size()];
            for (int i = 0; i < runs.size(); i++) {
                inputs.add(new DataInputStream(new BufferedInputStream(Files.newInputStream(runs.get(i).file()), 1 << 16)));
                left[i] = runs.get(i).values();
                if (left[i]-- > 0) {
                    heads.add(new Head<>(codec.read(inputs.get(i)), i));
                }
            }
            for (Head<T> head = heads.poll(); head != null; head = heads.poll()) {
                visitor.visit(head.value());
                if (left[head.run()]-- > 0) {
                    heads.add(new Head<>(codec.read(inputs.get(head.run())), head.run()));
                }
            }
        } finally {
            for (DataInputStream in : inputs) {
                in.close();
            }
            deleteRuns();
        }
    }

    private record Run(Path file, long values) {
    }

    private record Head<T>(T value, int run) {
    }

    private void spill() throws IOException {
        buffered.sort(order);
        Path file = runFiles.next();
        runs.add(new Run(file, buffered.size()));
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            for (T value : buffered) {
                codec.write(out, value);
            }
        }
        buffered.clear();
        bufferedBytes = 0;
    }

    private void deleteRuns() throws IOException {
        for (Run run : runs) {
            Files.deleteIfExists(run.file());
        }
        runs.clear();
    }

    @Override
    public void close() throws IOException {
        buffered.clear();
        deleteRuns();
    }
}
