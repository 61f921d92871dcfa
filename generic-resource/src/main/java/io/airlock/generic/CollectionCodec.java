package io.airlock.generic;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.airlock.spi.ContentResource.RowReader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import com.fasterxml.jackson.core.JsonFactory;

/** An element collection (list, set, bag) as a JSON array. */
final class CollectionCodec implements Codec {

    private static final JsonFactory SORT_KEYS = new JsonFactory();

    private final Codec element;
    private final Supplier<Collection<Object>> factory;
    private final boolean ordered;

    /**
     * @param ordered whether the collection's order is stored (an indexed list, or an order by);
     *     other collections come back from the database in any order, so their elements are sorted
     *     to make exports of equal content byte-identical
     */
    CollectionCodec(Codec element, Supplier<Collection<Object>> factory, boolean ordered) {
        this.element = element;
        this.factory = factory;
        this.ordered = ordered;
    }

    @Override
    public void write(Object value, JsonGenerator out) throws IOException {
        Collection<?> elements = (Collection<?>) value;
        out.writeStartArray();
        for (Object e : ordered ? elements : sorted(elements)) {
            if (e == null) {
                out.writeNull();
            } else {
                element.write(e, out);
            }
        }
        out.writeEndArray();
    }

    private List<Object> sorted(Collection<?> elements) {
        record Keyed(String key, Object value) {
        }
        List<Keyed> keyed = new ArrayList<>(elements.size());
        for (Object e : elements) {
            keyed.add(new Keyed(e == null ? "" : text(e), e));
        }
        keyed.sort(Comparator.comparing(Keyed::key));
        List<Object> result = new ArrayList<>(keyed.size());
        for (Keyed k : keyed) {
            result.add(k.value());
        }
        return result;
    }

    private String text(Object value) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = SORT_KEYS.createGenerator(text)) {
            element.write(value, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    @Override
    public Object read(JsonNode node, String path, RowReader reader) {
        if (!node.isArray()) {
            throw new InvalidValue(path, "expects an array, got " + InvalidValue.describe(node));
        }
        Collection<Object> result = factory.get();
        for (int i = 0; i < node.size(); i++) {
            JsonNode e = node.get(i);
            String where = path + "[" + i + "]";
            if (e.isNull()) {
                throw new InvalidValue(where, "must not be null");
            }
            result.add(element.read(e, where, reader));
        }
        return result;
    }
}
