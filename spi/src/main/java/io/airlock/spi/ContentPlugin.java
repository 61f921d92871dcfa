package io.airlock.spi;

import java.util.List;

/**
 * The entry point of a plugin, found by {@link java.util.ServiceLoader} (declare it in
 * {@code META-INF/services/io.airlock.spi.ContentPlugin}) or registered explicitly. Every method but
 * the name and version has a default, so a plugin overrides only what it contributes.
 */
public interface ContentPlugin {

    /** Unique plugin name, also its content family: {@code file}, {@code rpm}. */
    String name();

    /**
     * Semantic version of the plugin's export format; an export made by one major version is
     * importable only by the same major version.
     */
    String version();

    /** Content types the plugin contributes. */
    default List<ContentType<?>> contentTypes() {
        return List.of();
    }

    /** Entity classes beyond the content types' own (sub-records such as an advisory's packages). */
    default List<Class<?>> entityClasses() {
        return List.of();
    }
}
