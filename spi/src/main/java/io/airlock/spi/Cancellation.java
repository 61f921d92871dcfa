package io.airlock.spi;

import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileLockInterruptionException;
import java.util.function.Supplier;

/**
 * Cancellation of long work by interrupting its thread ({@code Future.cancel(true)},
 * {@link Thread#interrupt()}): the one place that checks for it, recognises failures it caused and
 * runs clean-up despite it. Long work calls {@link #check} at bounded intervals; an operation's
 * entry point passes its failure through {@link #translate}; clean-up that must do I/O or take a
 * database connection runs in {@link #runUninterrupted}.
 *
 * <p>Whenever a {@link ErrorCode#CANCELLED} exception leaves these methods, the thread's interrupt
 * status is set, so the caller's executor still sees the interrupt.
 */
public final class Cancellation {

    private Cancellation() {
    }

    /** Throws {@code CANCELLED} ("{@code what} cancelled") if the current thread has been interrupted. */
    public static void check(String what) {
        if (Thread.currentThread().isInterrupted()) {
            throw cancelled(what, null);
        }
    }

    /** A {@code CANCELLED} exception saying "{@code what} cancelled"; sets the thread's interrupt status. */
    public static AirlockException cancelled(String what, Throwable cause) {
        Thread.currentThread().interrupt();
        String message = what + " cancelled";
        return cause == null ? new AirlockException(ErrorCode.CANCELLED, message)
                : new AirlockException(ErrorCode.CANCELLED, message, cause);
    }

    /**
     * Whether {@code failure} ends work that was cancelled: the thread is interrupted now, or the
     * failure or one of its causes is an interruption (an {@link InterruptedException}, a channel
     * closed by an interrupt, an interrupted I/O other than a socket timeout) or already a
     * {@code CANCELLED} exception.
     */
    public static boolean isCancellation(Throwable failure) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InterruptedException || t instanceof ClosedByInterruptException
                    || t instanceof FileLockInterruptionException
                    || (t instanceof InterruptedIOException && !(t instanceof SocketTimeoutException))
                    || (t instanceof AirlockException airlock && airlock.code() == ErrorCode.CANCELLED)) {
                return true;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (suppressed instanceof AirlockException airlock && airlock.code() == ErrorCode.CANCELLED) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * {@code failure} as the entry point of {@code what} reports it: a {@code CANCELLED} exception
     * saying "{@code what} cancelled" (with {@code failure} as its cause, and the interrupt status
     * set) when it ends cancelled work, else {@code failure} itself. An {@link Error} is rethrown.
     */
    public static RuntimeException translate(Throwable failure, String what) {
        if (failure instanceof Error error) {
            throw error;
        }
        if (!isCancellation(failure)) {
            return failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
        }
        String message = what + " cancelled";
        if (failure instanceof AirlockException airlock && airlock.code() == ErrorCode.CANCELLED
                && message.equals(airlock.getMessage())) {
            Thread.currentThread().interrupt();
            return airlock;
        }
        return cancelled(what, failure);
    }

    /** Runs {@code work}, reporting a failure as {@link #translate} says. */
    public static <T> T guard(String what, Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            throw translate(e, what);
        }
    }

    /**
     * Runs clean-up with the interrupt status cleared, so that its file channels and database
     * connections work, and sets the status again afterwards if it was set (or got set meanwhile).
     */
    public static void runUninterrupted(Runnable cleanup) {
        callUninterrupted(() -> {
            cleanup.run();
            return null;
        });
    }

    /** {@link #runUninterrupted} for clean-up that returns a value. */
    public static <T> T callUninterrupted(Supplier<T> cleanup) {
        boolean interrupted = Thread.interrupted();
        try {
            return cleanup.get();
        } finally {
            if (interrupted || Thread.currentThread().isInterrupted()) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
