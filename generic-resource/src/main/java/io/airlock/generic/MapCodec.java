package io.airlock.generic;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.airlock.spi.ContentResource.RowReader;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** An element collection map with string keys as a JSON object, keys sorted. */
final class MapCodec implements Codec {

    private final Codec value;
    private final Supplier<Map<String, Object>> factory;

    MapCodec(Codec value, Supplier<Map<String, Object>> factory) {
        this.value = value;
        this.factory = factory;
    }

    @Override
    public void write(Object map, JsonGenerator out) throws IOException {
        out.writeStartObject();
        for (Map.Entry<?, ?> e : new TreeMap<>((Map<?, ?>) map).entrySet()) {
            out.writeFieldName((String) e.getKey());
            if (e.getValue() == null) {
                out.writeNull();
            } else {
                value.write(e.getValue(), out);
            }
        }
        out.writeEndObject();
    }

    @Override
    public Object read(JsonNode node, String path, RowReader reader) {
        if (!node.isObject()) {
            throw new InvalidValue(path, "expects an object, got " + InvalidValue.describe(node));
        }
        Map<String, Object> result = factory.get();
        for (Iterator<Map.Entry<String, JsonNode>> entries = node.fields(); entries.hasNext();) {
            Map.Entry<String, JsonNode> e = entries.next();
            String where = path + "[" + e.getKey() + "]";
            if (e.getValue().isNull()) {
                throw new InvalidValue(where, "must not be null");
            }
            result.put(e.getKey(), value.read(e.getValue(), where, reader));
        }
        return result;
    }
}
