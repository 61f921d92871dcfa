package io.airlock.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Work run on a thread of its own and interrupted after a delay, as a host cancels a task
 * ({@code Future.cancel(true)}): what it returned or threw, whether it finished before the
 * interrupt, how long after the interrupt it ended and whether its interrupt status was still set
 * when it ended.
 */
public final class Interruption<T> {

    private final T result;
    private final Throwable failure;
    private final boolean finishedFirst;
    private final long stopNanos;
    private final boolean interruptedAtEnd;
    private final long elapsedNanos;
    private final StackTraceElement[] slowStack;

    /** How long after the interrupt the work's stack is taken, if it still runs. */
    private static final Duration SLOW = Duration.ofMillis(500);

    private Interruption(T result, Throwable failure, boolean finishedFirst, long stopNanos, boolean interruptedAtEnd,
            long elapsedNanos, StackTraceElement[] slowStack) {
        this.elapsedNanos = elapsedNanos;
        this.slowStack = slowStack;
        this.result = result;
        this.failure = failure;
        this.finishedFirst = finishedFirst;
        this.stopNanos = stopNanos;
        this.interruptedAtEnd = interruptedAtEnd;
    }

    /** Runs {@code work} on a new thread, interrupts it {@code delay} after it started and waits (at most 2 minutes) for it to end. */
    public static <T> Interruption<T> after(Duration delay, Callable<T> work) throws InterruptedException {
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        long[] ended = new long[1];
        boolean[] flag = new boolean[1];
        long started = System.nanoTime();
        Thread worker = new Thread(() -> {
            try {
                result[0] = work.call();
            } catch (Throwable t) {
                failure[0] = t;
            }
            ended[0] = System.nanoTime();
            flag[0] = Thread.currentThread().isInterrupted();
        }, "interrupted-work");
        worker.start();
        worker.join(Math.max(1, delay.toMillis()));
        boolean finishedFirst = !worker.isAlive();
        long interruptedAt = System.nanoTime();
        StackTraceElement[] slow = null;
        if (!finishedFirst) {
            worker.interrupt();
            worker.join(SLOW.toMillis());
            if (worker.isAlive()) {
                slow = worker.getStackTrace(); // where a slow stop spends its time, for the failure message
            }
            worker.join(TimeUnit.MINUTES.toMillis(2));
            if (worker.isAlive()) {
                throw new AssertionError("the work did not end within 2 minutes of its interrupt");
            }
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return new Interruption<>(value, failure[0], finishedFirst || ended[0] < interruptedAt,
                finishedFirst ? 0 : Math.max(0, ended[0] - interruptedAt), flag[0], ended[0] - started, slow);
    }

    /** What the work returned, when it returned. */
    public Optional<T> result() {
        return failure == null ? Optional.ofNullable(result) : Optional.empty();
    }

    /** What the work threw, when it threw. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** Whether the work ended before it was interrupted. */
    public boolean finishedBeforeInterrupt() {
        return finishedFirst;
    }

    /** How long after the interrupt the work ended (zero when it ended before). */
    public Duration stoppedAfter() {
        return Duration.ofNanos(stopNanos);
    }

    /** How long the work ran, from the start of its thread to its end. */
    public Duration elapsed() {
        return Duration.ofNanos(elapsedNanos);
    }

    /** Whether the work's thread still had its interrupt status set when the work ended. */
    public boolean interruptedAtEnd() {
        return interruptedAtEnd;
    }

    @Override
    public String toString() {
        String text = finishedFirst ? "finished before the interrupt" : "ended " + stoppedAfter().toMillis() + " ms after the interrupt with "
                + (failure == null ? "result " + result : failure.toString());
        if (slowStack != null) {
            StringBuilder stack = new StringBuilder(text).append("; " + SLOW.toMillis() + " ms after the interrupt it was at");
            for (int i = 0; i < Math.min(25, slowStack.length); i++) {
                stack.append("\n    at ").append(slowStack[i]);
            }
            return stack.toString();
        }
        return text;
    }
}
