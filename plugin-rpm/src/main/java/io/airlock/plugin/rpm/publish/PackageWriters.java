package io.airlock.plugin.rpm.publish;

import io.airlock.core.Throwables;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Writes batches of package rows to primary, filelists and other on two threads of their own
 * (primary, the largest, on one; filelists and other on the second) while the caller reads the next
 * batch from the database. Each file is still written by one thread, row after row, so its bytes
 * are those of a serial write. At most two batches are held: the one being written and the one
 * being read.
 */
final class PackageWriters implements AutoCloseable {

    private final List<List<PackageXml>> lanes;
    private final ExecutorService threads;
    private final List<Future<?>> pending = new ArrayList<>();

    PackageWriters(PackageXml primary, PackageXml filelists, PackageXml other) {
        this.lanes = List.of(List.of(primary), List.of(filelists, other));
        this.threads = Executors.newFixedThreadPool(lanes.size(), task -> {
            Thread thread = new Thread(task, "airlock-rpm-publish");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Writes each file's header. */
    void begin(long packages) throws IOException {
        for (List<PackageXml> lane : lanes) {
            for (PackageXml writer : lane) {
                writer.begin(packages);
            }
        }
    }

    /**
     * Hands {@code rows} to the writers once they are done with the previous batch, and returns
     * without waiting for them; a failure of theirs is thrown by the next call.
     */
    void add(List<PackageRow> rows) {
        await();
        for (List<PackageXml> lane : lanes) {
            pending.add(threads.submit(() -> {
                for (PackageRow row : rows) {
                    try {
                        for (PackageXml writer : lane) {
                            writer.add(row);
                        }
                    } catch (IllegalArgumentException e) {
                        throw new AirlockException(ErrorCode.INVALID_INPUT, "package " + row.unit().nevra() + ": " + e.getMessage());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return null;
            }));
        }
    }

    /** Waits for the last batch and writes each file's footer. */
    void end() throws IOException {
        await();
        for (List<PackageXml> lane : lanes) {
            for (PackageXml writer : lane) {
                writer.end();
            }
        }
    }

    private void await() {
        try {
            for (Future<?> future : pending) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AirlockException(ErrorCode.CANCELLED, "publication cancelled");
        } catch (ExecutionException e) {
            throw Throwables.unchecked(e.getCause());
        } finally {
            pending.clear();
        }
    }

    /** Stops the threads, waiting for a write still running (after a failure) before the files are closed. */
    @Override
    public void close() {
        threads.shutdownNow();
        try {
            threads.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
