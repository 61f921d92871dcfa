package io.airlock.spi;

/**
 * Receives progress of long work: a phase name (such as {@code artifacts}), how much is done and the
 * total (-1 when unknown). Called from the working thread; keep it cheap.
 */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = (phase, done, total) -> { };

    void progress(String phase, long done, long total);
}
