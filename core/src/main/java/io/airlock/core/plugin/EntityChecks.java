package io.airlock.core.plugin;

import io.airlock.spi.AirlockException;
import io.airlock.spi.Content;
import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ContentType;
import io.airlock.spi.ErrorCode;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Checks a plugin's entity classes before Hibernate sees them, for the mistakes Hibernate reports
 * without naming the entity or the field ("Could not determine recommended JdbcType for
 * java.util.Map"): a collection, map, array, interface or {@code Object} field, or a reference to
 * another entity, with no annotation that says how it is stored. Each is refused with
 * {@link ErrorCode#PLUGIN_INVALID} naming plugin, entity, field and declared type, before any table
 * is created or changed. What passes here Hibernate still checks in full.
 */
final class EntityChecks {

    /** Annotations that tell Hibernate how a field is stored (any one is enough for this check). */
    private static final Set<String> MAPPING_ANNOTATIONS = Set.of(
            "jakarta.persistence.ElementCollection", "jakarta.persistence.OneToMany", "jakarta.persistence.ManyToMany",
            "jakarta.persistence.ManyToOne", "jakarta.persistence.OneToOne", "jakarta.persistence.Embedded",
            "jakarta.persistence.EmbeddedId", "jakarta.persistence.Convert", "jakarta.persistence.Lob",
            "jakarta.persistence.Transient", "org.hibernate.annotations.JdbcTypeCode", "org.hibernate.annotations.JdbcType",
            "org.hibernate.annotations.Type", "org.hibernate.annotations.JavaType", "org.hibernate.annotations.Array");

    private EntityChecks() {
    }

    static void check(ContentPlugin plugin) {
        Set<Class<?>> classes = new LinkedHashSet<>();
        for (ContentType<?> type : plugin.contentTypes()) {
            classes.add(type.entityClass());
        }
        classes.addAll(plugin.entityClasses());
        Set<Class<?>> seen = new LinkedHashSet<>();
        for (Class<?> entity : classes) {
            checkClass(plugin, entity, entity, seen);
        }
    }

    private static void checkClass(ContentPlugin plugin, Class<?> entity, Class<?> declaring, Set<Class<?>> seen) {
        for (Class<?> c = declaring; c != null && c != Object.class && c != Content.class; c = c.getSuperclass()) {
            if (!seen.add(c)) {
                return;
            }
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) || Modifier.isTransient(field.getModifiers()) || field.isSynthetic()
                        || hasMappingAnnotation(field)) {
                    continue;
                }
                Class<?> type = field.getType();
                String problem = null;
                if (Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type)) {
                    problem = "a collection or map, which needs @ElementCollection, or @JdbcTypeCode(SqlTypes.JSON) for a JSON column";
                } else if (type.isArray() && type != byte[].class && type != char[].class) {
                    problem = "an array, which needs @JdbcTypeCode(SqlTypes.JSON) for a JSON column, or @ElementCollection of a List";
                } else if (type == Object.class || (type.isInterface() && !type.getName().startsWith("java.time."))) {
                    problem = "of no concrete type Hibernate can store; declare a concrete type or a JSON column";
                } else if (type.isAnnotationPresent(Entity.class)) {
                    problem = "another entity, which needs @ManyToOne (a reference by natural key)";
                } else if (type.isAnnotationPresent(Embeddable.class)) {
                    checkClass(plugin, entity, type, seen);
                }
                if (problem != null) {
                    throw new AirlockException(ErrorCode.PLUGIN_INVALID, "plugin '" + plugin.name() + "': entity "
                            + entity.getName() + " field '" + field.getName() + "' is declared as "
                            + field.getGenericType().getTypeName() + ", " + problem);
                }
            }
        }
    }

    private static boolean hasMappingAnnotation(Field field) {
        for (Annotation annotation : field.getAnnotations()) {
            if (MAPPING_ANNOTATIONS.contains(annotation.annotationType().getName())) {
                return true;
            }
        }
        return false;
    }
}
