package io.airlock.core.repository;

import static java.util.Objects.requireNonNull;

import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.util.OptionalInt;

/** A repository version named as {@code NAME} (the latest) or {@code NAME@N}. */
public record VersionRef(String repository, OptionalInt number) {

    public VersionRef {
        requireNonNull(repository, "repository");
        requireNonNull(number, "number");
    }

    public static VersionRef latest(String repository) {
        return new VersionRef(repository, OptionalInt.empty());
    }

    public static VersionRef of(String repository, int number) {
        return new VersionRef(repository, OptionalInt.of(number));
    }

    /** Parses {@code NAME} or {@code NAME@N}; refuses anything else with a message quoting it. */
    public static VersionRef parse(String text) {
        int at = text.lastIndexOf('@');
        if (at < 0) {
            Repositories.checkName(text);
            return latest(text);
        }
        String name = text.substring(0, at);
        String number = text.substring(at + 1);
        if (!number.matches("\\d{1,9}")) {
            throw new AirlockException(ErrorCode.INVALID_INPUT,
                    "'" + text + "' is not NAME or NAME@N: the version must be a number");
        }
        Repositories.checkName(name);
        return of(name, Integer.parseInt(number));
    }

    @Override
    public String toString() {
        return number.isPresent() ? repository + "@" + number.getAsInt() : repository;
    }
}
