package io.airlock.spi;

import java.util.Locale;

/** A database Airlock runs on; a plugin's {@link Migration} has a script for each. */
public enum DatabaseKind {
    H2("h2"),
    POSTGRESQL("postgresql");

    private final String id;

    DatabaseKind(String id) {
        this.id = id;
    }

    /** The lower-case name used in resource paths and on the command line: {@code h2}, {@code postgresql}. */
    public String id() {
        return id;
    }

    /** The kind with this {@link #id()}; {@code INVALID_INPUT} naming the known ones otherwise. */
    public static DatabaseKind ofId(String id) {
        for (DatabaseKind kind : values()) {
            if (kind.id.equals(id == null ? null : id.toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        throw new AirlockException(ErrorCode.INVALID_INPUT, "unknown database kind '" + id + "' (known: h2, postgresql)");
    }
}
