package io.airlock.generic;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.airlock.spi.ContentResource.RowReader;
import java.io.IOException;
import java.lang.reflect.Type;

/**
 * A JSON column, converted with Jackson using the attribute's declared type. Rows come from
 * untrusted archives: no default typing, and a type validator that allows no class named in the
 * data even where a class carries {@code @JsonTypeInfo(use = CLASS)}.
 */
final class JsonColumnCodec implements Codec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .polymorphicTypeValidator(BasicPolymorphicTypeValidator.builder().build())
            .build();

    private final ObjectWriter writer;
    private final ObjectReader reader;

    JsonColumnCodec(Type declared) {
        JavaType type = MAPPER.getTypeFactory().constructType(declared);
        this.writer = MAPPER.writerFor(type);
        this.reader = MAPPER.readerFor(type);
    }

    @Override
    public void write(Object value, JsonGenerator out) throws IOException {
        writer.writeValue(out, value);
    }

    @Override
    public Object read(JsonNode node, String path, RowReader rows) {
        try {
            return reader.readValue(node);
        } catch (IOException | IllegalArgumentException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw new InvalidValue(path, "does not fit its declared type: " + reason);
        }
    }
}
