package io.airlock.core.archive;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON configuration for archives: bounded reads of untrusted input, streams never closed
 * by Jackson (they are tar entries), no polymorphic typing.
 */
public final class Json {

    /** Longest line of a JSON Lines entry, and longest string in one. */
    public static final int MAX_LINE = 16 << 20;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength(MAX_LINE)
                            .maxNestingDepth(64)
                            .maxNumberLength(200)
                            .maxDocumentLength(MAX_LINE)
                            .build())
                    .build())
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .addModule(new JavaTimeModule())
            .build();

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    static JsonParser parser(byte[] bytes, int length) throws java.io.IOException {
        return MAPPER.getFactory().createParser(bytes, 0, length);
    }
}
