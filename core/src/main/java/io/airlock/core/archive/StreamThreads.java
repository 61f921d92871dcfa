package io.airlock.core.archive;

/** The threads that read or write an export's chunks beside the caller. */
final class StreamThreads {

    private StreamThreads() {
    }

    /**
     * Interrupts {@code thread} and waits until it has ended, even when the caller is interrupted
     * meanwhile (its interrupt is set again afterwards): a stream thread must never outlive its stream.
     */
    static void stop(Thread thread) {
        thread.interrupt();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
