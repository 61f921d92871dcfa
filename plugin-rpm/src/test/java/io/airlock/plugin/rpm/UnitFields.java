package io.airlock.plugin.rpm;

import io.airlock.core.Airlock;
import io.airlock.core.repository.VersionRef;
import io.airlock.spi.Content;
import jakarta.persistence.Entity;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.hibernate.Hibernate;

/**
 * Every stored field of every unit of a repository version, read by reflection from the entities
 * (not through the export's own row code, so a field the export dropped shows as a difference).
 * Database ids and back-references are left out: they are local to an installation.
 */
final class UnitFields {

    private UnitFields() {
    }

    /** {@code TYPE:LABEL} → field name → value; child records as lists of such maps. */
    static Map<String, Map<String, Object>> of(Airlock airlock, String repository) {
        List<UUID> ids = new ArrayList<>();
        airlock.repositories().scanContent(airlock.repositories().version(VersionRef.latest(repository)), Optional.empty(), 1000,
                batch -> batch.forEach(u -> ids.add(u.id())));
        Map<String, Map<String, Object>> units = new TreeMap<>();
        airlock.inTransaction(session -> {
            for (int from = 0; from < ids.size(); from += 500) {
                List<Content> batch = session.createSelectionQuery("from Content where id in :ids", Content.class)
                        .setParameter("ids", ids.subList(from, Math.min(ids.size(), from + 500))).getResultList();
                for (Content unit : batch) {
                    units.put(unit.typeId() + ":" + unit.label(), describe(unit));
                }
                session.clear();
            }
            return null;
        });
        return units;
    }

    private static Map<String, Object> describe(Object entity) {
        Object real = Hibernate.unproxy(entity);
        Map<String, Object> fields = new TreeMap<>();
        for (Class<?> c = real.getClass(); c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) || field.getName().equals("id")) {
                    continue;
                }
                if (field.getType().isAnnotationPresent(Entity.class) || Content.class.isAssignableFrom(field.getType())) {
                    continue; // a back-reference to the parent record
                }
                field.setAccessible(true);
                Object value;
                try {
                    value = field.get(real);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                fields.put(c.getSimpleName() + "." + field.getName(), normalize(value));
            }
        }
        return fields;
    }

    private static Object normalize(Object value) {
        if (value instanceof byte[] bytes) {
            return java.util.HexFormat.of().formatHex(bytes); // arrays compare by identity
        }
        if (value instanceof Collection<?> collection) {
            List<Object> items = new ArrayList<>();
            for (Object item : collection) {
                items.add(item != null && Hibernate.unproxy(item).getClass().isAnnotationPresent(Entity.class)
                        ? describe(item) : item);
            }
            return items;
        }
        return value;
    }
}
