package io.airlock.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A fresh, empty database for one test. By default an H2 file database in a temporary directory;
 * when the environment variable {@value #URL_VARIABLE} names a PostgreSQL database, a new schema in
 * it (dropped on close), so the same persistence tests run against both.
 *
 * <p>Also owns a temporary directory for the test's artifact store and other files.
 */
public final class TestDatabase implements AutoCloseable {

    public static final String URL_VARIABLE = "AIRLOCK_TEST_JDBC_URL";

    private final String url;
    private final String user;
    private final String password;
    private final Path directory;
    private final String schema;

    private TestDatabase(String url, String user, String password, Path directory, String schema) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.directory = directory;
        this.schema = schema;
    }

    public static TestDatabase create() {
        Path directory;
        try {
            directory = Files.createTempDirectory("airlock-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String external = System.getenv(URL_VARIABLE);
        if (external == null || external.isBlank()) {
            String url = h2InterruptSafe("jdbc:h2:file:" + directory.resolve("db/airlock").toAbsolutePath());
            return new TestDatabase(url, "sa", "", directory, null);
        }
        String user = envOr("AIRLOCK_TEST_JDBC_USER", "postgres");
        String password = envOr("AIRLOCK_TEST_JDBC_PASSWORD", "");
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        try (Connection connection = DriverManager.getConnection(external, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute("create schema " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test schema in " + external + ": " + e.getMessage(), e);
        }
        String separator = external.contains("?") ? "&" : "?";
        return new TestDatabase(external + separator + "currentSchema=" + schema, user, password, directory, schema);
    }

    /** True when the tests run against PostgreSQL rather than the embedded H2 default. */
    public static boolean isPostgres() {
        String external = System.getenv(URL_VARIABLE);
        return external != null && !external.isBlank();
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** A private temporary directory, deleted on close. */
    public Path directory() {
        return directory;
    }

    /** A new, not yet existing path inside {@link #directory()}. */
    public Path path(String name) {
        return directory.resolve(name);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /**
     * On H2, the URL of the file system Airlock opens H2 files with ({@code airlock-retry:}, when
     * the core is on the class path; registered in this JVM): H2 in one JVM shares an open database
     * only between URLs naming the same path, so the test's own connections and pools use it too.
     */
    private static String h2InterruptSafe(String url) {
        if (!url.startsWith("jdbc:h2:file:")) {
            return url;
        }
        try {
            // Reflection: the testing module cannot depend on the core, whose tests depend on it.
            return (String) Class.forName("io.airlock.core.db.H2InterruptSafeFiles").getMethod("wrap", String.class)
                    .invoke(null, url);
        } catch (ReflectiveOperationException e) {
            return url; // no core on the class path: nothing opens the file another way
        }
    }

    @Override
    public void close() {
        if (schema != null) {
            String external = System.getenv(URL_VARIABLE);
            try (Connection connection = DriverManager.getConnection(external, user, password);
                    Statement statement = connection.createStatement()) {
                statement.execute("drop schema " + schema + " cascade");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot drop test schema " + schema + ": " + e.getMessage(), e);
            }
        }
        deleteTree(directory);
    }

    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
