package io.airlock.spi;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One content type a plugin contributes: its id (taken from the entity's
 * {@code @DiscriminatorValue}), its entity class and, optionally, a hand-written resource. Without
 * one, Airlock builds a generic resource from the Hibernate metamodel.
 */
public record ContentType<T extends Content>(String id, Class<T> entityClass, Optional<ResourceFactory<T>> resource) {

    public ContentType {
        requireNonNull(id, "id");
        requireNonNull(entityClass, "entityClass");
        requireNonNull(resource, "resource");
        if (!id.matches("[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*")) {
            throw new AirlockException(ErrorCode.PLUGIN_INVALID,
                    "content type id '" + id + "' of " + entityClass.getName() + " is not of the form family.name");
        }
    }

    /** A type served by the generic resource. */
    public static <T extends Content> ContentType<T> of(Class<T> entityClass) {
        return new ContentType<>(Content.typeIdOf(entityClass), entityClass, Optional.empty());
    }

    /** A type with a hand-written resource. */
    public static <T extends Content> ContentType<T> of(Class<T> entityClass, ResourceFactory<T> resource) {
        return new ContentType<>(Content.typeIdOf(entityClass), entityClass, Optional.of(resource));
    }

    /** The plugin family of the type: {@code rpm} for {@code rpm.package}. */
    public String family() {
        return id.substring(0, id.indexOf('.'));
    }

    /** Creates a type's resource once the persistence metamodel exists. */
    @FunctionalInterface
    public interface ResourceFactory<T extends Content> {
        ContentResource<T> create(ResourceContext context);
    }
}
