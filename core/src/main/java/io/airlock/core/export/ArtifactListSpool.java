package io.airlock.core.export;

import com.fasterxml.jackson.core.JsonGenerator;
import io.airlock.core.archive.Json;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The export's spooled artifact list: one {@code {"sha256":…,"size":…}} line per artifact, written
 * once from the database, copied into the archive as its artifact list and read back for the entries.
 */
final class ArtifactListSpool {

    private ArtifactListSpool() {
    }

    /** Receives the listed artifacts in their order. */
    @FunctionalInterface
    interface Visitor {
        void visit(String sha256, long size) throws IOException;
    }

    /** Appends lines to a spool file. */
    static final class Writer implements Closeable {
        private final OutputStream out;
        private final JsonGenerator json;

        private Writer(Path list) throws IOException {
            this.out = new BufferedOutputStream(Files.newOutputStream(list), 1 << 16);
            this.json = Json.mapper().createGenerator(out);
        }

        void add(String sha256, long size) throws IOException {
            json.writeStartObject();
            json.writeStringField("sha256", sha256);
            json.writeNumberField("size", size);
            json.writeEndObject();
            json.writeRaw('\n');
        }

        @Override
        public void close() throws IOException {
            try (out) {
                json.close();
            }
        }
    }

    /** A line read back. */
    private record Listed(String sha256, long size) {
    }

    static Writer create(Path list) throws IOException {
        return new Writer(list);
    }

    /**
     * Visits the artifacts of {@code list} in its order, then deletes it. One parser per line: the
     * mapper bounds a document to {@link Json#MAX_LINE} bytes, and a million listed artifacts take
     * about 80 MiB.
     */
    static void forEach(Path list, Visitor visitor) throws IOException {
        try (BufferedReader lines = Files.newBufferedReader(list)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                Listed listed = Json.mapper().readValue(line, Listed.class);
                visitor.visit(listed.sha256(), listed.size());
            }
        }
        Files.delete(list);
    }
}
