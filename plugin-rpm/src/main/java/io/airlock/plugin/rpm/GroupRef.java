package io.airlock.plugin.rpm;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A {@code <groupid>} in a category's or environment's list, with its optional {@code default} flag. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GroupRef(String name, Boolean isDefault) {

    public GroupRef {
        requireNonNull(name, "name");
    }
}
