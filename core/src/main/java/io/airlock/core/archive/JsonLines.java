package io.airlock.core.archive;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a JSON Lines entry one bounded line at a time; each line must be one JSON object. It reads
 * ahead of the line it returns, so nothing else may read its stream.
 */
final class JsonLines {

    private final InputStream in;
    private final String where;
    private final int maxLine;
    private byte[] buffer = new byte[8192];
    /** Bytes read ahead from {@code in}, which belongs to this reader: one call per chunk, not per byte. */
    private final byte[] chunk = new byte[1 << 16];
    private int position;
    private int limit;
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
            if (position == limit) {
                int read = in.read(chunk, 0, chunk.length);
                if (read < 0) {
                    if (length > 0) {
                        line++;
                        throw invalid(at() + " does not end with a newline");
                    }
                    return null;
                }
                position = 0;
                limit = read;
            }
            int end = position;
            while (end < limit && chunk[end] != '\n') {
                end++;
            }
            int taken = end - position;
            if (taken > maxLine - length) {
                line++;
                throw invalid(at() + " is longer than " + maxLine + " bytes");
            }
            if (length + taken > buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min(maxLine, Math.max(length + taken, 2L * buffer.length)));
            }
            System.arraycopy(chunk, position, buffer, length, taken);
            length += taken;
            position = end;
            if (end < limit) {
                position++; // the newline
                break;
            }
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
