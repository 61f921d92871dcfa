package io.airlock.core.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts an H2 file database when the installation closes, if this process grew its file a lot.
 * H2's store appends rewritten pages and frees the old ones only lazily, so a large import leaves a
 * file many times its live data (100,000 imported units: 3.0 GB, of which 65 MB live, 2 s to
 * compact; docs/performance.md). Compaction runs only then: a short command, or one that wrote
 * little, closes as fast as before.
 */
public final class H2Compaction {

    private static final Logger LOG = LoggerFactory.getLogger(H2Compaction.class);
    /** Growth below this is never worth a compaction. */
    static final long MIN_GROWTH = 32L << 20;

    private final String url;
    private final String user;
    private final String password;
    private final Path file;
    private final long sizeAtOpen;

    private H2Compaction(String url, String user, String password, Path file) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.file = file;
        this.sizeAtOpen = size(file);
    }

    /**
     * For an H2 file URL on Airlock's file system ({@link H2InterruptSafeFiles#wrap}), the database's
     * compaction, with the file's size now; empty for every other database.
     */
    public static Optional<H2Compaction> of(String url, String user, String password) {
        String prefix = "jdbc:h2:" + H2InterruptSafeFiles.SCHEME + ":";
        if (!url.startsWith(prefix)) {
            return Optional.empty();
        }
        String rest = url.substring(prefix.length());
        int options = rest.indexOf(';');
        String database = options < 0 ? rest : rest.substring(0, options);
        if (database.isEmpty() || database.startsWith("~")) {
            return Optional.empty(); // relative to a home H2 resolves itself: not worth guessing
        }
        return Optional.of(new H2Compaction(url, user, password, Path.of(database + ".mv.db")));
    }

    /** Whether a file of {@code now} bytes grew enough since open: by at least half its size then, and by 32 MiB. */
    private boolean worthIt(long now) {
        long growth = now - sizeAtOpen;
        return growth >= MIN_GROWTH && growth * 2 >= sizeAtOpen;
    }

    /**
     * After every connection of the installation closed: reopens the database and shuts it down
     * compacted, when it grew by half its size at open and by 32 MiB. Best effort: a failure
     * (another process opened the file meanwhile) leaves the database as it is, valid, only larger.
     */
    public void closeCompacted() {
        long before = size(file);
        if (!worthIt(before)) {
            return;
        }
        long started = System.nanoTime();
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement()) {
            // Shutting down closes every session of the database: never while another installation
            // object of this JVM (a host's second one, a test's) still has it open.
            try (var sessions = statement.executeQuery("select count(*) from information_schema.sessions")) {
                if (sessions.next() && sessions.getLong(1) > 1) {
                    LOG.debug("H2 compaction of {} skipped: the database is open elsewhere in this process", file);
                    return;
                }
            }
            statement.execute("shutdown compact");
        } catch (SQLException e) {
            LOG.debug("H2 compaction of {} skipped: {}", file, e.getMessage());
            return;
        }
        LOG.debug("compacted the database file {} from {} MiB to {} MiB in {} ms", file, before >> 20, size(file) >> 20,
                (System.nanoTime() - started) / 1_000_000);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
