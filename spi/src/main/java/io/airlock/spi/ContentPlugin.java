package io.airlock.spi;

import io.airlock.spi.copy.CopyPolicy;
import java.util.List;
import java.util.Optional;

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

    /**
     * The plugin's schema: the versioned migrations that create and change the tables of its
     * entities, in version order, their scripts resources of the plugin's jar (read with the
     * plugin's class loader). A plugin that has entities but no migrations still works with
     * {@code SchemaAction.MIGRATE}: its tables are then created by Hibernate's schema update, with
     * a warning; a host that validates or manages the schema itself gets no SQL for them.
     */
    default List<Migration> migrations() {
        return List.of();
    }

    /** The plugin's copy rules (children, dependency solving); without one a copy takes exactly the selected units. */
    default Optional<CopyPolicy> copyPolicy() {
        return Optional.empty();
    }
}
