package io.airlock.core.archive;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
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

    /**
     * Longest line of the artifact list and of {@code content_artifacts.jsonl}: a link holds a
     * key digest, a relative path of at most 2048 characters (up to 6 bytes each when escaped)
     * and a sha256.
     */
    public static final int MAX_LINK_LINE = 64 << 10;

    private static final ObjectMapper MAPPER = JsonMapper.builder(new JsonFactoryBuilder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength(MAX_LINE)
                            .maxNestingDepth(64)
                            .maxNumberLength(200)
                            .maxDocumentLength(MAX_LINE)
                            .build())
                    // JSON Lines: a generator writing one value per line must not put Jackson's default
                    // separator (a space) before every value after its first.
                    .rootValueSeparator((String) null)
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

    /**
     * Reads a TOC or manifest as a tree that keeps numbers as written ({@code 1.0} stays
     * {@code 1.0}, not {@code 1}), so that messages quote the value read.
     */
    static com.fasterxml.jackson.databind.JsonNode readExact(byte[] bytes) throws java.io.IOException {
        return MAPPER.reader().without(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .readTree(bytes);
    }

    static JsonParser parser(byte[] bytes, int length) throws java.io.IOException {
        return MAPPER.getFactory().createParser(bytes, 0, length);
    }
}
