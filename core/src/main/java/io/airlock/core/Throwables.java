package io.airlock.core;

/** The failure of work another thread ran (a future's or a thread's), rethrown on the thread that waited for it. */
public final class Throwables {

    private Throwables() {
    }

    /**
     * {@code failure} to throw as it is: an {@link Error} is thrown here, a {@link RuntimeException}
     * returned unchanged, a checked exception returned wrapped in an {@link IllegalStateException}.
     * Callers write {@code throw Throwables.unchecked(e.getCause())}.
     */
    public static RuntimeException unchecked(Throwable failure) {
        if (failure instanceof Error error) {
            throw error;
        }
        return failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
    }
}
