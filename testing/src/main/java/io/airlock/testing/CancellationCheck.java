package io.airlock.testing;

import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The check every cancellation test makes: an operation interrupted at a random point either
 * finished (before the interrupt, or within {@link #LATENCY} of it without clearing it) and its
 * result is whole, or ended with {@code CANCELLED} within {@link #LATENCY} of the interrupt, with
 * its thread's interrupt status still set, leaving the installation as it was ({@link Leftovers}).
 */
public final class CancellationCheck {

    /** How soon after its interrupt a cancelled operation must end. */
    public static final Duration LATENCY = Duration.ofSeconds(1);

    private CancellationCheck() {
    }

    /**
     * Runs {@code trials} trials of {@link #interrupt} (more, up to twice as many, until one was
     * cancelled): trial {@code i} runs {@code work.apply(i)}. The first delay is drawn below
     * {@code maxDelayMillis}; after work that finished before its interrupt, delays are drawn below
     * 80% of how long it ran, so that the trials land inside the work however fast the machine is.
     * Returns how many trials were cancelled (at least one, or it fails).
     */
    public static <T> int trials(Random random, int trials, int maxDelayMillis, Supplier<Leftovers> state,
            java.util.function.IntFunction<Callable<T>> work, Consumer<T> whole) throws InterruptedException {
        int cancelled = 0;
        int bound = maxDelayMillis;
        for (int trial = 0; trial < trials || (cancelled == 0 && trial < 2 * trials); trial++) {
            Interruption<T> run = run(random, bound, state, work.apply(trial), whole);
            if (run.finishedBeforeInterrupt() || run.result().isPresent()) {
                bound = (int) Math.max(1, Math.min(bound, run.elapsed().toMillis() * 8 / 10));
            } else {
                cancelled++;
            }
        }
        if (cancelled == 0) {
            throw new AssertionError("no trial was cancelled: the work always finished before its interrupt");
        }
        return cancelled;
    }

    /**
     * Runs {@code work} interrupted after a delay drawn from {@code random} below
     * {@code maxDelayMillis}, and checks the outcome; {@code state} reads the installation's
     * state, {@code whole} checks a result of work that finished first. Returns whether the work
     * was cancelled (the slowest stop is kept in {@link #slowestStop()}).
     */
    public static <T> boolean interrupt(Random random, int maxDelayMillis, Supplier<Leftovers> state, Callable<T> work,
            Consumer<T> whole) throws InterruptedException {
        Interruption<T> run = run(random, maxDelayMillis, state, work, whole);
        return !run.finishedBeforeInterrupt() && run.result().isEmpty();
    }

    private static <T> Interruption<T> run(Random random, int maxDelayMillis, Supplier<Leftovers> state, Callable<T> work,
            Consumer<T> whole) throws InterruptedException {
        Leftovers before = state.get();
        Duration delay = Duration.ofMillis(random.nextInt(maxDelayMillis));
        Interruption<T> run = Interruption.after(delay, work);
        System.out.println("interrupted after " + delay.toMillis() + " ms: " + run);
        if (run.result().isPresent()) {
            if (!run.finishedBeforeInterrupt()) {
                // Interrupted as it was finishing (past its last check, committing): it may return,
                // but soon, and without clearing the interrupt.
                if (run.stoppedAfter().compareTo(LATENCY) >= 0 || !run.interruptedAtEnd()) {
                    throw new AssertionError("the work ignored its interrupt: " + run + ", interrupted at the end: "
                            + run.interruptedAtEnd());
                }
            }
            whole.accept(run.result().get());
            return run;
        }
        Throwable failure = run.failure().orElseThrow();
        if (!(failure instanceof AirlockException airlock) || airlock.code() != ErrorCode.CANCELLED) {
            throw new AssertionError("interrupted after " + delay.toMillis() + " ms: expected CANCELLED, got " + failure, failure);
        }
        if (!run.interruptedAtEnd()) {
            throw new AssertionError("the interrupt status was cleared: " + run);
        }
        if (run.stoppedAfter().compareTo(LATENCY) >= 0) {
            throw new AssertionError("stopped " + run.stoppedAfter().toMillis() + " ms after the interrupt, not within "
                    + LATENCY.toMillis() + " ms: " + run);
        }
        synchronized (CancellationCheck.class) {
            slowest = slowest.compareTo(run.stoppedAfter()) < 0 ? run.stoppedAfter() : slowest;
        }
        Leftovers after = state.get();
        if (!after.equals(before)) {
            throw new AssertionError("a cancelled operation left something (" + run + "): " + before.changesTo(after));
        }
        return run;
    }

    private static Duration slowest = Duration.ZERO;

    /** The longest time from an interrupt to the end of a cancelled operation seen so far in this JVM. */
    public static synchronized Duration slowestStop() {
        return slowest;
    }
}
