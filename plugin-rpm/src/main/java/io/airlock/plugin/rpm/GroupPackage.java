package io.airlock.plugin.rpm;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A {@code <packagereq>} of a comps group: package name, type ({@code mandatory}, {@code default},
 * {@code optional}, {@code conditional}), the package a conditional one requires, and basearchonly.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GroupPackage(String name, String type, String requires, Boolean basearchonly) {

    public GroupPackage {
        requireNonNull(name, "name");
    }
}
