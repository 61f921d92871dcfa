package io.airlock.generic;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airlock.spi.Content;
import io.airlock.spi.ContentResource;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** Writes rows to JSON text and parses them back, as an export followed by an import would. */
final class Rows {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Rows() {
    }

    static <T extends Content> String write(ContentResource<T> resource, T unit) {
        StringWriter text = new StringWriter();
        try (JsonGenerator out = MAPPER.createGenerator(text)) {
            resource.writeRow(unit, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    static ObjectNode parse(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
