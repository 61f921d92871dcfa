package io.airlock.spi;

import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorColumn;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Inheritance;
import jakarta.persistence.InheritanceType;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.util.Objects;
import java.util.UUID;
import org.hibernate.proxy.HibernateProxy;

/**
 * Base of every content unit. A plugin's content class extends it, is an {@code @Entity} with a
 * {@code @DiscriminatorValue} holding its type id (such as {@code file.file}), marks its natural-key
 * fields with {@link NaturalKey} and says how it is labelled.
 *
 * <p>The base row also stores the unit's label and the digest of its natural key, so that units of
 * any type can be looked up in bulk by key (one indexed column) and by label.
 */
@Entity
@Table(name = "content",
        uniqueConstraints = @UniqueConstraint(name = "uk_content_key_digest", columnNames = "key_digest"),
        indexes = @Index(name = "ix_content_type_label", columnList = "content_type,label"))
@Inheritance(strategy = InheritanceType.JOINED)
@DiscriminatorColumn(name = "content_type", length = 64)
public abstract class Content {

    @Id
    @Column(name = "id", nullable = false, updatable = false)
    private UUID id = Ids.next();

    @Column(name = "content_type", length = 64, insertable = false, updatable = false)
    private String contentType;

    @Column(name = "label", nullable = false, length = 2048)
    private String label;

    @Column(name = "key_digest", nullable = false, length = 64, updatable = false)
    private String keyDigest;

    protected Content() {
    }

    /**
     * The unit's id. Correct on a Hibernate proxy too (a unit reached through a lazy reference),
     * without loading it: a proxy is a subclass whose own fields were never loaded, and these final
     * methods run on the proxy itself, so each reads through the proxy's initializer.
     */
    public final UUID id() {
        if (this instanceof HibernateProxy proxy) {
            return (UUID) proxy.getHibernateLazyInitializer().getIdentifier();
        }
        return id;
    }

    /** The content type id declared by the class's {@code @DiscriminatorValue}. */
    public final String typeId() {
        return typeIdOf(self().getClass());
    }

    /**
     * A name unique within one repository version, e.g. a relative path or an RPM NEVRA. Used by
     * people and by copy requests ({@code TYPE:LABEL}); a unit with the label of a unit already in a
     * version replaces it.
     */
    public abstract String label();

    /** The stored digest of the natural key; null until the unit has been given its identity. */
    public final String keyDigest() {
        return self().keyDigest;
    }

    /**
     * Records the label and the natural-key digest on the base row. The engines call this once,
     * before the unit is first stored.
     */
    public final void assignIdentity(ContentKey key) {
        Objects.requireNonNull(key, "key");
        if (!key.type().equals(typeId())) {
            throw new AirlockException(ErrorCode.INVALID_INPUT,
                    "key of type " + key.type() + " given to a unit of type " + typeId());
        }
        Content self = self();
        self.label = Objects.requireNonNull(label(), "label");
        self.keyDigest = key.digest();
    }

    /** This unit, or the loaded unit behind it when this is a Hibernate proxy. */
    private Content self() {
        if (this instanceof HibernateProxy proxy) {
            return (Content) proxy.getHibernateLazyInitializer().getImplementation();
        }
        return this;
    }

    public static String typeIdOf(Class<?> contentClass) {
        for (Class<?> c = contentClass; c != null && c != Object.class; c = c.getSuperclass()) {
            DiscriminatorValue value = c.getAnnotation(DiscriminatorValue.class);
            if (value != null) {
                return value.value();
            }
        }
        throw new AirlockException(ErrorCode.PLUGIN_INVALID,
                "content class " + contentClass.getName() + " has no @DiscriminatorValue naming its type id");
    }

    /** Units are equal when their ids are (a proxy equals the unit it stands for). */
    @Override
    public final boolean equals(Object other) {
        return other == this || other instanceof Content unit && id().equals(unit.id());
    }

    @Override
    public final int hashCode() {
        return id().hashCode();
    }

    @Override
    public String toString() {
        return typeId() + ":" + label();
    }
}
