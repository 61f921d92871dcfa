package io.airlock.core.archive;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Reads a JSON Lines entry one bounded line at a time; each line must be one JSON object. */
final class JsonLines {

    private final InputStream in;
    private final String where;
    private final int maxLine;
    private byte[] buffer = new byte[8192];
    private long line;

    JsonLines(InputStream in, String where) {
        this(in, where, Json.MAX_LINE);
    }

    /** Lines longer than {@code maxLine} bytes are refused. */
    JsonLines(InputStream in, String where, int maxLine) {
        this.in = in;
        this.where = where;
        this.maxLine = maxLine;
    }

    /** The number of the line last returned, from 1. */
    long line() {
        return line;
    }

    /** Where the line last returned is, for messages. */
    String at() {
        return where + ", line " + line;
    }

    /** The next line as an object, or null at the end. */
    ObjectNode next() throws IOException {
        int length = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (length > 0) {
                    line++;
                    throw invalid(at() + " does not end with a newline");
                }
                return null;
            }
            if (b == '\n') {
                break;
            }
            if (length == maxLine) {
                line++;
                throw invalid(at() + " is longer than " + maxLine + " bytes");
            }
            if (length == buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.min(maxLine, length * 2));
            }
            buffer[length++] = (byte) b;
        }
        line++;
        JsonNode node;
        try (JsonParser parser = Json.parser(buffer, length)) {
            node = Json.mapper().readTree(parser);
            if (parser.nextToken() != null) {
                throw invalid(at() + " holds more than one JSON value");
            }
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw invalid(at() + " is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.CharConversionException e) {
            // Jackson guesses UTF-16/32 from the first bytes and its decoders throw this, not a JacksonException
            throw invalid(at() + " is not valid JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw invalid(at() + " is not a JSON object");
        }
        return (ObjectNode) node;
    }

    private static AirlockException invalid(String message) {
        return new AirlockException(ErrorCode.ARCHIVE_INVALID, message);
    }
}
