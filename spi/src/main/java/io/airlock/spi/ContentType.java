package io.airlock.spi;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One content type a plugin contributes: its id (taken from the entity's
 * {@code @DiscriminatorValue}), its entity class and, optionally, a hand-written resource. Without
 * one, Airlock builds a generic resource from the Hibernate metamodel; {@code fileDigest} tells that
 * resource which field is a unit's own digest of its file ({@link ContentResource#fileDigest}). A
 * hand-written resource overrides {@link ContentResource#fileDigest} itself.
 */
public record ContentType<T extends Content>(String id, Class<T> entityClass, Optional<ResourceFactory<T>> resource,
        FileDigestOf<T> fileDigest) {

    public ContentType {
        requireNonNull(id, "id");
        requireNonNull(entityClass, "entityClass");
        requireNonNull(resource, "resource");
        requireNonNull(fileDigest, "fileDigest");
        if (!id.matches("[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*")) {
            throw new AirlockException(ErrorCode.PLUGIN_INVALID,
                    "content type id '" + id + "' of " + entityClass.getName() + " is not of the form family.name");
        }
    }

    /** A type without a declared file digest. */
    public ContentType(String id, Class<T> entityClass, Optional<ResourceFactory<T>> resource) {
        this(id, entityClass, resource, unit -> Optional.empty());
    }

    /** This type, with units whose own digest of their file is {@code digest} of the unit. */
    public ContentType<T> withFileDigest(FileDigestOf<T> digest) {
        return new ContentType<>(id, entityClass, resource, digest);
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

    /** A unit's own digest of its file, or empty when it records none. */
    @FunctionalInterface
    public interface FileDigestOf<T extends Content> {
        Optional<FileDigest> of(T unit);
    }

    /** Creates a type's resource once the persistence metamodel exists. */
    @FunctionalInterface
    public interface ResourceFactory<T extends Content> {
        ContentResource<T> create(ResourceContext context);
    }
}
