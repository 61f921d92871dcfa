package io.airlock.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The real repository metadata kept next to the project ({@code ../shared/data} from the project
 * root), found from the working directory upwards, or named by {@code -Dairlock.shared.data=DIR} or
 * the {@code AIRLOCK_SHARED_DATA} environment variable.
 * Tests read it in place; it is never copied into the project.
 */
public final class SharedData {

    public static final String PROPERTY = "airlock.shared.data";
    public static final String VARIABLE = "AIRLOCK_SHARED_DATA";

    private SharedData() {
    }

    /** The data directory, if it can be found. */
    public static Optional<Path> find() {
        String configured = System.getProperty(PROPERTY, System.getenv(VARIABLE));
        if (configured != null) {
            Path path = Path.of(configured).toAbsolutePath();
            return Files.isDirectory(path) ? Optional.of(path) : Optional.empty();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolveSibling("shared").resolve("data");
            if (dir.getParent() != null && Files.isDirectory(candidate.resolve("cs9-baseos"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * A folder of the data, such as {@code cs9-baseos}. Where the data is missing the test is skipped
     * with a message saying so, except under CI ({@code CI=true}), where missing data is a failure.
     */
    public static Path require(String folder) {
        Optional<Path> root = find();
        String why = "the shared test data (../shared/data/" + folder + " next to the project, or -D" + PROPERTY
                + " or " + VARIABLE + ") is not on this machine";
        if (root.isEmpty() || !Files.isDirectory(root.get().resolve(folder))) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(why);
            }
            Assumptions.abort(why);
        }
        return root.get().resolve(folder);
    }
}
