package io.airlock.spi;

import static java.util.Objects.requireNonNull;

import java.util.EnumMap;
import java.util.Map;

/**
 * One versioned schema change of a module (the core or a plugin): a SQL script per database kind,
 * a resource of the module's own jar. Versions count 1, 2, 3… per module, independently of other
 * modules; an applied migration is never changed (its checksum is recorded and verified).
 *
 * <p>A script is plain SQL: statements end with {@code ;} at the end of a line, lines starting with
 * {@code --} are comments. Prefer {@code if not exists} where the database allows it.
 *
 * @param version      1 for the first migration, then one more for each
 * @param description  a few words shown in the schema history, e.g. {@code file tables}
 * @param scripts      the class path resource (no leading slash) of the script for each database kind
 */
public record Migration(int version, String description, Map<DatabaseKind, String> scripts) {

    public Migration {
        if (version < 1) {
            throw new AirlockException(ErrorCode.PLUGIN_INVALID, "migration version " + version + " is not 1 or more");
        }
        requireNonNull(description, "description");
        if (description.isBlank() || description.length() > 200) {
            throw new AirlockException(ErrorCode.PLUGIN_INVALID, "migration " + version + " has a description that is blank or longer than 200 characters");
        }
        scripts = Map.copyOf(requireNonNull(scripts, "scripts"));
    }

    /**
     * A migration whose scripts follow the usual layout: {@code DIRECTORY/h2/V<version>.sql} and
     * {@code DIRECTORY/postgresql/V<version>.sql}, e.g. {@code Migration.of(1, "file tables",
     * "io/airlock/plugin/file/schema")}.
     */
    public static Migration of(int version, String description, String directory) {
        requireNonNull(directory, "directory");
        Map<DatabaseKind, String> scripts = new EnumMap<>(DatabaseKind.class);
        for (DatabaseKind kind : DatabaseKind.values()) {
            scripts.put(kind, directory + "/" + kind.id() + "/V" + version + ".sql");
        }
        return new Migration(version, description, scripts);
    }
}
