package io.airlock.core.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airlock.core.archive.Json;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Content rows an import puts aside because they refer to a unit it has not stored yet: the
 * archive, written by an Airlock that did not order types by their references, carries the
 * referenced unit further on. Spooled to a file in the import's scratch folder (an archive may defer
 * a whole type), one JSON array {@code [type, where, row]} per line, and read back once every row
 * has been read.
 */
final class DeferredRows implements AutoCloseable {

    /** Thrown by a row reader for a reference to a unit not stored yet; the row is deferred. */
    static final class ForwardReference extends RuntimeException {
        ForwardReference() {
            super(null, null, false, false);
        }
    }

    record Row(String type, String where, ObjectNode row) {
    }

    private final Path file;
    private BufferedWriter out;
    private long count;

    DeferredRows(Path file) {
        this.file = file;
    }

    void add(String type, String where, ObjectNode row) {
        try {
            if (out == null) {
                out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            }
            ArrayNode line = Json.mapper().createArrayNode().add(type).add(where).add(row);
            out.write(Json.mapper().writeValueAsString(line));
            out.newLine();
            count++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long count() {
        return count;
    }

    /** Hands every deferred row to {@code reader} in the order it was deferred, then forgets them all. */
    void drain(java.util.function.Consumer<Row> reader) {
        if (count == 0) {
            return;
        }
        try {
            out.close();
            out = null;
            Path read = file.resolveSibling(file.getFileName() + ".reading");
            Files.move(file, read, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            count = 0;
            try (BufferedReader in = Files.newBufferedReader(read, StandardCharsets.UTF_8)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    JsonNode node = Json.mapper().readTree(line);
                    reader.accept(new Row(node.get(0).asText(), node.get(1).asText(), (ObjectNode) node.get(2)));
                }
            } finally {
                Files.deleteIfExists(read);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (out != null) {
                out.close();
            }
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
