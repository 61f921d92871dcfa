package io.airlock.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlock.spi.AirlockException;
import io.airlock.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Hibernate logs through SLF4J without a JVM-wide flag (the test JVM sets none), and stays quiet
 * about what Airlock reports itself: nothing reaches java.util.logging, and no warning about the
 * connection pool or a failed statement reaches SLF4J.
 */
final class HibernateLoggingTest {

    @Test
    void startUpAndAFailingStatementWriteNothingToJavaUtilLoggingAndNoHibernateWarnings() {
        assertThat(System.getProperty("org.jboss.logging.provider")).as("the test must run without the JVM-wide flag").isNull();
        List<LogRecord> julRecords = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                julRecords.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        Level level = root.getLevel();
        root.addHandler(capture);
        root.setLevel(Level.ALL);
        PrintStream stderr = System.err;
        ByteArrayOutputStream slf4jOutput = new ByteArrayOutputStream();
        System.setErr(new PrintStream(slf4jOutput, true, StandardCharsets.UTF_8)); // slf4j-simple writes to the current System.err
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            assertThatThrownBy(() -> airlock.inTransaction(s -> s.createNativeQuery("select * from no_such_table", Object.class)
                    .getResultList()))
                    .isInstanceOf(AirlockException.class)
                    .hasMessageStartingWith("database error: ");
        } finally {
            System.setErr(stderr);
            root.removeHandler(capture);
            root.setLevel(level);
        }

        assertThat(julRecords).filteredOn(r -> r.getLoggerName() != null
                        && (r.getLoggerName().startsWith("org.hibernate") || r.getLoggerName().startsWith("org.jboss")))
                .extracting(LogRecord::getMessage).isEmpty();
        assertThat(org.jboss.logging.Logger.getLogger("org.hibernate.SQL").getClass().getSimpleName()).startsWith("Slf4j");
        String logged = slf4jOutput.toString(StandardCharsets.UTF_8);
        assertThat(logged).doesNotContain("HHH000247", "HHH10001002", "built-in connection pool", "SQL Error");
    }
}
