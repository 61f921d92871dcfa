package io.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class ProgressTest {

    @Test
    void downloadsShowBytesAndTheRate() {
        assertThat(Progress.line("download", 3L << 20, -1, 2_000_000_000L)).isEqualTo("download 3.0 MiB 1.5 MiB/s");
        assertThat(Progress.line("download", 1L << 20, 4L << 20, 1_000_000_000L))
                .isEqualTo("download [#######-----------------------] 25% 1.0 MiB/4.0 MiB 1.0 MiB/s");
    }

    @Test
    void otherPhasesShowCounts() {
        assertThat(Progress.line("units", 5, 10)).isEqualTo("units [###############---------------] 50% 5/10");
    }
}
