package io.airlock.testing;

import io.airlock.spi.AirlockException;

/**
 * The contract every fuzz target checks (docs/fuzzing.md): a reader of untrusted input either
 * returns normally or refuses with one {@link AirlockException} whose message is one line of
 * bounded length. Anything else escaping it (a NullPointerException, a raw parser exception, a
 * StackOverflowError, an OutOfMemoryError) is a finding; Jazzer reports it with the input.
 */
public final class FuzzContract {

    /** Longest refusal message accepted: long enough for a path and a place, short enough for one line. */
    public static final int MAX_MESSAGE = 1000;

    /** Work on one fuzzed input; may throw anything, which is then judged. */
    @FunctionalInterface
    public interface Target {
        void run() throws Exception;
    }

    private FuzzContract() {
    }

    /** Runs {@code target}; lets any exception other than a well-formed {@link AirlockException} propagate. */
    public static void check(Target target) throws Exception {
        try {
            target.run();
        } catch (AirlockException e) {
            String message = e.getMessage();
            if (message.length() > MAX_MESSAGE) {
                throw new AssertionError("refusal message of " + message.length() + " characters (at most "
                        + MAX_MESSAGE + "): " + message.substring(0, 300) + "...", e);
            }
            if (message.indexOf('\n') >= 0 || message.indexOf('\r') >= 0) {
                throw new AssertionError("refusal message spans lines: " + message, e);
            }
            if (message.isBlank()) {
                throw new AssertionError("blank refusal message", e);
            }
        }
    }
}
