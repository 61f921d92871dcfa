package io.airlock.generic;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.airlock.spi.ContentResource.RowReader;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * An entity row or an embeddable value as a JSON object with one key per attribute, sorted by name.
 * Records (allowed as embeddables) are built through their canonical constructor, other classes
 * through their no-arg constructor and fields.
 */
final class ObjectCodec implements Codec {

    private final List<Property> properties;
    private final Map<String, Property> byName;
    private final Constructor<?> constructor;
    /** For a record: the position of each property among the constructor's parameters. */
    private final Map<String, Integer> componentIndex;

    ObjectCodec(Class<?> type, List<Property> properties) throws NoSuchMethodException {
        this.properties = properties.stream().sorted(Comparator.comparing(Property::name)).toList();
        Map<String, Property> names = new HashMap<>();
        for (Property p : this.properties) {
            names.put(p.name(), p);
        }
        this.byName = Map.copyOf(names);
        if (type.isRecord()) {
            RecordComponent[] components = type.getRecordComponents();
            Class<?>[] types = new Class<?>[components.length];
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                index.put(components[i].getName(), i);
            }
            this.constructor = type.getDeclaredConstructor(types);
            this.componentIndex = Map.copyOf(index);
        } else {
            this.constructor = type.getDeclaredConstructor();
            this.componentIndex = null;
        }
        constructor.setAccessible(true);
    }

    List<Property> properties() {
        return properties;
    }

    @Override
    public void write(Object value, JsonGenerator out) throws IOException {
        out.writeStartObject();
        for (Property p : properties) {
            out.writeFieldName(p.name());
            Object v = p.get(value);
            if (v == null) {
                out.writeNull();
            } else {
                p.codec().write(v, out);
            }
        }
        out.writeEndObject();
    }

    @Override
    public Object read(JsonNode node, String path, RowReader reader) {
        if (!node.isObject()) {
            throw new InvalidValue(path, "expects an object, got " + InvalidValue.describe(node));
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!byName.containsKey(name)) {
                throw new InvalidValue(join(path, name), "is unknown");
            }
        }
        Object[] values = new Object[properties.size()];
        for (int i = 0; i < values.length; i++) {
            Property p = properties.get(i);
            String where = join(path, p.name());
            JsonNode child = node.get(p.name());
            if (child == null) {
                throw new InvalidValue(where, "is missing");
            }
            if (child.isNull()) {
                if (p.primitive()) {
                    throw new InvalidValue(where, "must not be null");
                }
            } else {
                values[i] = p.codec().read(child, where, reader);
            }
        }
        return instantiate(values);
    }

    private Object instantiate(Object[] values) {
        try {
            if (componentIndex != null) {
                Object[] arguments = new Object[values.length];
                for (int i = 0; i < values.length; i++) {
                    arguments[componentIndex.get(properties.get(i).name())] = values[i];
                }
                return constructor.newInstance(arguments);
            }
            Object instance = constructor.newInstance();
            for (int i = 0; i < values.length; i++) {
                properties.get(i).set(instance, values[i]);
            }
            return instance;
        } catch (InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException("cannot instantiate " + constructor.getDeclaringClass().getName(), e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("constructor of " + constructor.getDeclaringClass().getName() + " failed",
                    e.getCause());
        }
    }

    static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
