package io.airlock.cli;

import io.airlock.core.remote.Downloader;
import io.airlock.spi.ProgressListener;
import java.io.PrintWriter;

/**
 * A one-line progress bar on stderr, redrawn with a carriage return; silent unless stdout and
 * stderr are a terminal ({@link System#console()}), so scripts and pipes see no progress output.
 */
final class Progress implements ProgressListener, AutoCloseable {

    private static final int WIDTH = 30;
    private static final long INTERVAL_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final boolean active;
    private long lastDraw;
    private int lastLength;

    private Progress(PrintWriter err, boolean active) {
        this.err = err;
        this.active = active;
    }

    static Progress onTerminal(PrintWriter err) {
        return new Progress(err, System.console() != null);
    }

    @Override
    public synchronized void progress(String phase, long done, long total) {
        if (!active) {
            return;
        }
        long now = System.nanoTime();
        boolean finished = total >= 0 && done >= total;
        if (!finished && lastLength > 0 && now - lastDraw < INTERVAL_NANOS) {
            return;
        }
        if (!phase.equals(this.phase)) {
            this.phase = phase;
            phaseStart = now;
        }
        lastDraw = now;
        String line = line(phase, done, total, now - phaseStart);
        err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        err.flush();
        lastLength = line.length();
    }

    /** When the current phase's first event came, for the rate of byte phases. */
    private String phase;
    private long phaseStart;

    static String line(String phase, long done, long total) {
        return line(phase, done, total, 0);
    }

    /**
     * The line of one event; {@link Downloader#PHASE} counts bytes, shown as sizes with the rate
     * since the phase began {@code nanos} ago.
     */
    static String line(String phase, long done, long total, long nanos) {
        if (phase.equals(Downloader.PHASE)) {
            String rate = nanos <= 0 ? "" : " " + Sizes.human((long) (done / (nanos / 1e9))) + "/s";
            if (total <= 0) {
                return phase + " " + Sizes.human(done) + rate;
            }
            int filled = (int) Math.min(WIDTH, WIDTH * done / total);
            return phase + " [" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + Math.min(100, 100 * done / total) + "% "
                    + Sizes.human(done) + "/" + Sizes.human(total) + rate;
        }
        if (total <= 0) {
            return phase + " " + done;
        }
        int filled = (int) Math.min(WIDTH, WIDTH * done / total);
        return phase + " [" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + (100 * done / total) + "% "
                + done + "/" + total;
    }

    /** Clears the bar so that the result line starts on a clean line. */
    @Override
    public synchronized void close() {
        if (active && lastLength > 0) {
            err.print("\r" + " ".repeat(lastLength) + "\r");
            err.flush();
        }
    }
}
