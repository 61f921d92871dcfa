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
 * finished first (and its result is whole) or ended with {@code CANCELLED} within {@link #LATENCY}
 * of the interrupt, with its thread's interrupt status still set, leaving the installation as it
 * was ({@link Leftovers}).
 */
public final class CancellationCheck {

    /** How soon after its interrupt a cancelled operation must end. */
    public static final Duration LATENCY = Duration.ofSeconds(1);

    private CancellationCheck() {
    }

    /**
     * Runs {@code work} interrupted after a delay drawn from {@code random} below
     * {@code maxDelayMillis}, and checks the outcome; {@code state} reads the installation's
     * state, {@code whole} checks a result of work that finished first. Returns whether the work
     * was cancelled (the slowest stop is kept in {@link #slowestStop()}).
     */
    public static <T> boolean interrupt(Random random, int maxDelayMillis, Supplier<Leftovers> state, Callable<T> work,
            Consumer<T> whole) throws InterruptedException {
        Leftovers before = state.get();
        Duration delay = Duration.ofMillis(random.nextInt(maxDelayMillis));
        Interruption<T> run = Interruption.after(delay, work);
        System.out.println("interrupted after " + delay.toMillis() + " ms: " + run);
        if (run.result().isPresent()) {
            whole.accept(run.result().get());
            return false;
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
        return true;
    }

    private static Duration slowest = Duration.ZERO;

    /** The longest time from an interrupt to the end of a cancelled operation seen so far in this JVM. */
    public static synchronized Duration slowestStop() {
        return slowest;
    }
}
