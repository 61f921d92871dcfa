package io.airlock.core.imports;

import io.airlock.core.store.ArtifactBatch;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Cancellation;
import io.airlock.spi.ErrorCode;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Stores small artifacts from two threads while the import reads on: each file is a create, a
 * write, a rename and a log line, and the filesystem's work for 100,000 files of 1 KiB was the
 * largest phase of such an import when done one after the other. The bytes are in memory, at most
 * {@link #IN_FLIGHT_BYTES} at a time. A failure is reported at the next call, after every write
 * submitted before it has ended, as the failure of the earliest artifact that failed, with the
 * place the caller gave (so the message does not depend on which thread was faster).
 */
final class ArtifactWriters implements AutoCloseable {

    /**
     * Artifacts up to this size are written by the pool; larger ones by the caller, as before: for
     * them the bytes, not the file operations, are the work, and the archive's reader and the
     * store's copy already run on two threads.
     */
    static final int MAX_SIZE = 1 << 18;
    /** Bytes of submitted artifacts not written yet. */
    private static final int IN_FLIGHT_BYTES = 32 << 20;
    private static final int THREADS = 2;

    private final ArtifactBatch batch;
    private final Semaphore room = new Semaphore(IN_FLIGHT_BYTES);
    private ExecutorService pool;
    private long submitted;
    /** Every write numbered below this has ended (all have when it equals {@link #submitted}); {@link #endedAhead} holds those above it that have. */
    private long lowWater;
    private final java.util.TreeSet<Long> endedAhead = new java.util.TreeSet<>();
    /** The earliest failure by submission number, and that number. */
    private AirlockException failure;
    private long failedAt = Long.MAX_VALUE;
    /** Set by {@link #close}: writes that have not started are dropped. */
    private volatile boolean closing;

    ArtifactWriters(ArtifactBatch batch) {
        this.batch = batch;
    }

    /**
     * Writes {@code bytes} as the artifact {@code sha256} (verified against it) on a pool thread;
     * {@code where} names it in a failure's message. Waits while too many bytes are in flight, and
     * throws the failure of an earlier write, if any.
     */
    void submit(String sha256, byte[] bytes, String where) {
        throwFailure();
        int permits = Math.max(1, bytes.length);
        try {
            room.acquire(permits);
        } catch (InterruptedException e) {
            throw Cancellation.cancelled("storing artifacts", e);
        }
        if (pool == null) {
            pool = Executors.newFixedThreadPool(THREADS, runnable -> {
                Thread thread = new Thread(runnable, "airlock-artifact-writer");
                thread.setDaemon(true);
                return thread;
            });
        }
        long number;
        synchronized (this) {
            number = submitted++;
        }
        pool.execute(() -> {
            try {
                if (!closing) {
                    batch.put(bytes, sha256);
                }
            } catch (AirlockException e) {
                failed(number, new AirlockException(e.code(), where + ": " + e.getMessage(), e));
            } catch (RuntimeException | Error e) {
                failed(number, new AirlockException(ErrorCode.STORAGE_FAILURE, where + ": " + e, e));
            } finally {
                room.release(permits);
                synchronized (this) {
                    endedAhead.add(number);
                    while (!endedAhead.isEmpty() && endedAhead.first() == lowWater) {
                        endedAhead.pollFirst();
                        lowWater++;
                    }
                    notifyAll();
                }
            }
        });
    }

    /** How many writes were submitted so far: the number the next one gets. */
    synchronized long submitted() {
        return submitted;
    }

    /**
     * Whether every write numbered below {@code number} has ended (whatever its outcome), so that
     * rows may name those files: the store checks that the file of each new artifact row is there.
     */
    synchronized boolean endedBelow(long number) {
        return lowWater >= number;
    }

    private synchronized void failed(long number, AirlockException e) {
        if (number < failedAt) {
            failedAt = number;
            failure = e;
        }
    }

    /** Waits until every submitted write has ended; throws the earliest failure, if any. */
    void awaitAll() {
        awaitEnded();
        throwFailure();
    }

    /** Throws the earliest failure of the writes so far, if any, once every write before it has ended. */
    void throwFailure() {
        AirlockException found;
        synchronized (this) {
            found = failure;
        }
        if (found != null) {
            awaitEnded(); // the earliest failure may be one still running
            synchronized (this) {
                throw failure;
            }
        }
    }

    private void awaitEnded() {
        synchronized (this) {
            while (lowWater < submitted) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    throw Cancellation.cancelled("storing artifacts", e);
                }
            }
        }
    }

    /**
     * Drops the writes that have not started, waits for those running (uninterrupted: the caller
     * removes what was written after this, and a write still running would be missed) and stops the
     * threads. After {@link #awaitAll} nothing is dropped; otherwise (a failure, a cancellation) the
     * queue can hold 32 MiB of small artifacts, and writing them first kept a cancelled import
     * running for over a second.
     */
    @Override
    public void close() {
        closing = true;
        if (pool == null) {
            return;
        }
        pool.shutdown();
        Cancellation.runUninterrupted(() -> {
            try {
                while (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                    // a write of at most MAX_SIZE bytes; keep waiting
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
