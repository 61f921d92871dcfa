package io.airlock.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class CancellationTest {

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void checkPassesOnAThreadNotInterrupted() {
        Cancellation.check("export");

        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void checkOnAnInterruptedThreadThrowsCancelledAndKeepsTheInterrupt() {
        Thread.currentThread().interrupt();

        assertThatThrownBy(() -> Cancellation.check("export"))
                .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED))
                .hasMessage("export cancelled");
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    void aStorageFailureCausedByAChannelClosedByAnInterruptIsACancellation() {
        AirlockException storage = new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot write: null",
                new UncheckedIOException(new ClosedByInterruptException()));

        RuntimeException translated = Cancellation.translate(storage, "import");

        assertThat(translated).isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED))
                .hasMessage("import cancelled").hasCause(storage);
        assertThat(Thread.currentThread().isInterrupted()).as("interrupt status restored").isTrue();
    }

    @Test
    void anInterruptedExceptionDeepInTheCausesIsACancellation() {
        RuntimeException failure = new IllegalStateException("pool", new IOException("wait", new InterruptedException()));

        assertThat(Cancellation.isCancellation(failure)).isTrue();
    }

    @Test
    void aSocketTimeoutIsNotACancellation() {
        RuntimeException failure = new IllegalStateException(new SocketTimeoutException("read timed out"));

        assertThat(Cancellation.isCancellation(failure)).isFalse();
        assertThat(Cancellation.translate(failure, "copy")).isSameAs(failure);
    }

    @Test
    void anOtherFailureOnAnInterruptedThreadIsReportedAsCancelled() {
        Thread.currentThread().interrupt();
        AirlockException database = new AirlockException(ErrorCode.DATABASE_FAILURE, "database error: closed");

        assertThat(Cancellation.translate(database, "copy")).isInstanceOfSatisfying(AirlockException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED));
    }

    @Test
    void runUninterruptedClearsTheInterruptForTheCleanupAndRestoresIt() {
        Thread.currentThread().interrupt();
        boolean[] seen = new boolean[1];

        Cancellation.runUninterrupted(() -> seen[0] = Thread.currentThread().isInterrupted());

        assertThat(seen[0]).as("interrupted during clean-up").isFalse();
        assertThat(Thread.currentThread().isInterrupted()).as("interrupted afterwards").isTrue();
    }

    @Test
    void runUninterruptedLeavesAThreadThatWasNotInterruptedSo() {
        Cancellation.runUninterrupted(() -> { });

        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
}
