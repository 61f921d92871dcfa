package io.airlock.generic;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.airlock.spi.ContentResource.RowReader;
import java.io.IOException;

/** Converts the values of one attribute between Java and JSON. Implementations are immutable. */
interface Codec {

    /** Writes a non-null value. */
    void write(Object value, JsonGenerator out) throws IOException;

    /**
     * Reads a non-null JSON value, throwing {@link InvalidValue} with {@code path} when it does not
     * fit.
     */
    Object read(JsonNode node, String path, RowReader reader);
}
