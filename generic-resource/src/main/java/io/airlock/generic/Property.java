package io.airlock.generic;

import java.lang.reflect.Field;

/** One attribute of an entity or embeddable: its name, the field holding it and its codec. */
record Property(String name, Field field, Codec codec) {

    boolean primitive() {
        return field.getType().isPrimitive();
    }

    Object get(Object owner) {
        try {
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("field " + field + " was made accessible at creation", e);
        }
    }

    void set(Object owner, Object value) {
        try {
            field.set(owner, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("field " + field + " was made accessible at creation", e);
        }
    }
}
