package io.airlock.plugin.rpm;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A file path primary metadata lists for a package; {@code type} is {@code dir} or {@code ghost}, null for a plain file. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RpmFile(String path, String type) {

    public RpmFile {
        requireNonNull(path, "path");
    }
}
