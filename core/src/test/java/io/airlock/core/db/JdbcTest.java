package io.airlock.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class JdbcTest {

    @ParameterizedTest
    @ValueSource(strings = {"55P03", "40001", "40P01", "HYT00", "90131"})
    void lockTimeoutsDeadlocksAndSerializationFailuresAreBusyWhereverTheyAreInTheCauses(String state) {
        RuntimeException wrapped = new IllegalStateException("hibernate", new SQLException("driver text", state));

        AirlockException busy = Jdbc.busy(wrapped, "repository 'r'", Duration.ofSeconds(60));

        assertThat(busy.code()).isEqualTo(ErrorCode.BUSY);
        assertThat(busy.code().retryable()).isTrue();
        assertThat(busy.getMessage()).isEqualTo("repository 'r' is busy: a concurrent operation held a lock for longer than"
                + " 60 s or the database resolved a deadlock; nothing was changed, retry later");
    }

    @Test
    void aBusyRowOfABatchIsFoundInTheChainOfNextExceptions() {
        BatchUpdateException batch = new BatchUpdateException("batch entry 0 aborted", "00000", new int[0]);
        batch.setNextException(new SQLException("canceling statement due to lock timeout", "55P03"));

        assertThat(Jdbc.isBusy(new RuntimeException(batch))).isTrue();
    }

    @Test
    void otherDatabaseFailuresAreNotBusy() {
        assertThat(Jdbc.busy(new RuntimeException(new SQLException("duplicate key", "23505")), "x", Duration.ofSeconds(1))).isNull();
        assertThat(Jdbc.busy(new RuntimeException(new SQLException("connection refused", "08001")), "x", Duration.ofSeconds(1))).isNull();
        assertThat(Jdbc.isUniqueViolation(new RuntimeException(new SQLException("duplicate key", "23505")))).isTrue();
    }

    @Test
    void onlyBusyIsRetryable() {
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(code.retryable()).as(code.name()).isEqualTo(code == ErrorCode.BUSY);
        }
    }
}
