package io.airlock.generic;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Content;
import io.airlock.spi.ContentKey;
import io.airlock.spi.ContentResource;
import io.airlock.spi.ContentResource.RowReader;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ResourceContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.hibernate.Hibernate;

/**
 * A many-to-one reference to another content unit, written as the natural-key fields of the
 * target: database ids mean nothing in another installation.
 */
final class ReferenceCodec implements Codec {

    private final Class<? extends Content> target;
    private final String targetType;
    private final ResourceContext context;

    ReferenceCodec(Class<? extends Content> target, String targetType, ResourceContext context) {
        this.target = target;
        this.targetType = targetType;
        this.context = context;
    }

    Class<? extends Content> target() {
        return target;
    }

    @Override
    public void write(Object value, JsonGenerator out) throws IOException {
        Content unit = (Content) Hibernate.unproxy(value);
        if (unit.getClass() != target) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, "a reference to " + target.getName()
                    + " holds a unit of " + unit.getClass().getName() + ", whose key would be read back as the wrong type");
        }
        ContentKey key = naturalKey(context.resourceFor(target), unit);
        out.writeStartObject();
        for (Map.Entry<String, Object> field : key.fields().entrySet()) {
            out.writeFieldName(field.getKey());
            Object v = field.getValue();
            if (v == null) {
                out.writeNull();
            } else if (v instanceof String s) {
                out.writeString(s);
            } else if (v instanceof Long l) {
                out.writeNumber(l);
            } else if (v instanceof BigDecimal d) {
                out.writeNumber(d);
            } else {
                out.writeBoolean((Boolean) v);
            }
        }
        out.writeEndObject();
    }

    @SuppressWarnings("unchecked")
    private static <C extends Content> ContentKey naturalKey(ContentResource<C> resource, Content unit) {
        return resource.naturalKey((C) unit);
    }

    @Override
    public Object read(JsonNode node, String path, RowReader reader) {
        if (!node.isObject()) {
            throw new InvalidValue(path, "expects the natural key of a " + targetType + " unit, got "
                    + InvalidValue.describe(node));
        }
        Set<String> expected = new HashSet<>(context.resourceFor(target).naturalKeyFields());
        TreeMap<String, Object> fields = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> entries = node.fields(); entries.hasNext();) {
            Map.Entry<String, JsonNode> e = entries.next();
            String where = path + "." + e.getKey();
            if (!expected.contains(e.getKey())) {
                throw new InvalidValue(where, "is not a natural-key field of " + targetType);
            }
            fields.put(e.getKey(), canonical(e.getValue(), where));
        }
        for (String name : expected) {
            if (!fields.containsKey(name)) {
                throw new InvalidValue(path + "." + name, "is missing");
            }
        }
        return reader.reference(target, ContentKey.of(targetType, fields));
    }

    private static Object canonical(JsonNode node, String path) {
        if (node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
            throw new InvalidValue(path, "is a number out of range");
        }
        if (node.isNumber()) {
            // A double node's text is the shortest exact form, as ContentKey makes it for doubles.
            return node.isDouble() || node.isFloat() ? new BigDecimal(node.asText()) : node.decimalValue();
        }
        throw new InvalidValue(path, "expects a string, number, boolean or null, got " + InvalidValue.describe(node));
    }
}
