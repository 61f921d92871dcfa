package io.airlock.core.archive;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airlock.core.store.Sha256;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.Messages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The table of contents of an export: its chunk files with sizes and digests, user metadata, and
 * the archive's format version (the manifest's: 2 when a membership is a delta, so that an Airlock
 * reading only version 1 refuses the export at its TOC).
 */
public record Toc(String exportName, Instant created, OptionalLong chunkSize, List<TocFile> files, Map<String, String> meta,
        int formatVersion) {

    private static final int MAX_TOC_BYTES = 64 << 20;

    public Toc {
        requireNonNull(exportName, "exportName");
        requireNonNull(created, "created");
        requireNonNull(chunkSize, "chunkSize");
        files = List.copyOf(files);
        meta = Map.copyOf(meta);
    }

    /** A TOC of format version 1. */
    public Toc(String exportName, Instant created, OptionalLong chunkSize, List<TocFile> files, Map<String, String> meta) {
        this(exportName, created, chunkSize, files, meta, ArchiveNames.FORMAT_VERSION);
    }

    /** One file of the stream. */
    public record TocFile(String name, long size, String sha256) {
        public TocFile {
            requireNonNull(name, "name");
            requireNonNull(sha256, "sha256");
        }
    }

    public long totalSize() {
        return files.stream().mapToLong(TocFile::size).sum();
    }

    public void write(Path file) throws IOException {
        Files.write(file, toBytes());
    }

    /** The TOC as its file holds it (what an export's signature signs). */
    public byte[] toBytes() throws IOException {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("format", ArchiveNames.FORMAT);
        root.put("format_version", formatVersion);
        root.put("created", created.toString());
        if (chunkSize.isPresent()) {
            root.put("chunk_size", chunkSize.getAsLong());
        } else {
            root.putNull("chunk_size");
        }
        var array = root.putArray("files");
        for (TocFile f : files) {
            array.addObject().put("name", f.name()).put("size", f.size()).put("sha256", f.sha256());
        }
        ObjectNode metaNode = root.putObject("meta");
        new java.util.TreeMap<>(meta).forEach(metaNode::put);
        return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    /**
     * Reads and checks a TOC file: its JSON, format, and every file entry (names following the
     * export's naming, numbered without gaps, sizes consistent with the chunk size).
     */
    public static Toc read(Path file) {
        String where = "table of contents " + file;
        exportName(file, where);
        byte[] bytes;
        try {
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                // A FIFO would block the read forever, a device (or a link to /dev/zero) never end.
                throw invalid(where + " is not a regular file");
            }
            try (java.io.InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_TOC_BYTES + 1); // bounded even if the file grows while read
            }
            if (bytes.length > MAX_TOC_BYTES) {
                throw invalid(where + ": larger than " + MAX_TOC_BYTES + " bytes");
            }
        } catch (NoSuchFileException e) {
            throw new AirlockException(ErrorCode.NOT_FOUND, where + " not found");
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read " + where + ": " + e.getMessage(), e);
        }
        return parse(file, bytes);
    }

    /**
     * Checks a TOC from bytes already read from {@code file} (for a signed export: the bytes whose
     * signature was checked), with the checks of {@link #read}; the file is not read.
     */
    public static Toc parse(Path file, byte[] bytes) {
        String where = "table of contents " + file;
        String exportName = exportName(file, where);
        JsonNode root;
        try {
            root = Json.readExact(bytes);
        } catch (JsonProcessingException e) {
            throw invalid(where + " is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.CharConversionException e) {
            // Jackson guesses UTF-16/32 from the first bytes and its decoders throw this, not a JacksonException
            throw invalid(where + " is not valid JSON: " + e.getMessage());
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read " + where + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw invalid(where + " is not a JSON object");
        }
        String format = text(root, "format", where);
        if (!ArchiveNames.FORMAT.equals(format)) {
            throw invalid(where + ": format '" + io.airlock.core.store.RelativePaths.printable(format) + "' is not " + ArchiveNames.FORMAT);
        }
        int formatVersion = ArchiveNames.checkFormatVersion(root, where);
        Instant created;
        try {
            created = Instant.parse(text(root, "created", where));
        } catch (java.time.format.DateTimeParseException e) {
            throw invalid(where + ": 'created' is not an ISO-8601 instant");
        }
        JsonNode chunkNode = root.get("chunk_size");
        OptionalLong chunkSize;
        if (chunkNode == null || chunkNode.isNull()) {
            chunkSize = OptionalLong.empty();
        } else if (chunkNode.isIntegralNumber() && chunkNode.canConvertToLong() && chunkNode.asLong() > 0) {
            chunkSize = OptionalLong.of(chunkNode.asLong());
        } else {
            throw invalid(where + ": 'chunk_size' must be a positive integer or null");
        }
        JsonNode filesNode = root.get("files");
        if (filesNode == null || !filesNode.isArray() || filesNode.isEmpty()) {
            throw invalid(where + ": 'files' must be a non-empty array");
        }
        List<TocFile> files = new ArrayList<>();
        for (int i = 0; i < filesNode.size(); i++) {
            JsonNode entry = filesNode.get(i);
            String at = where + ", files[" + i + "]";
            if (!entry.isObject()) {
                throw invalid(at + " is not an object");
            }
            String name = text(entry, "name", at);
            String expected = chunkSize.isPresent() ? ArchiveNames.chunkName(exportName, i) : ArchiveNames.tarName(exportName);
            if (!name.equals(expected)) {
                throw invalid(at + ": file '" + io.airlock.core.store.RelativePaths.printable(name) + "' should be '" + expected + "'");
            }
            JsonNode size = entry.get("size");
            if (size == null || !size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
                throw invalid(at + ": 'size' must be a non-negative integer");
            }
            String sha256 = text(entry, "sha256", at);
            if (!Sha256.isHex(sha256)) {
                throw invalid(at + ": 'sha256' is not 64 lower-case hex digits");
            }
            files.add(new TocFile(name, size.asLong(), sha256));
        }
        if (chunkSize.isEmpty() && files.size() != 1) {
            throw invalid(where + ": an export without chunk_size has exactly one file");
        }
        for (int i = 0; i < files.size(); i++) {
            long size = files.get(i).size();
            boolean last = i == files.size() - 1;
            if (chunkSize.isPresent() && (last ? size < 1 || size > chunkSize.getAsLong() : size != chunkSize.getAsLong())) {
                throw invalid(where + ", files[" + i + "]: size " + size + " does not fit chunk size " + chunkSize.getAsLong());
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        JsonNode metaNode = root.get("meta");
        if (metaNode != null && !metaNode.isNull()) {
            if (!metaNode.isObject()) {
                throw invalid(where + ": 'meta' must be an object of strings");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = metaNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!field.getValue().isTextual()) {
                    throw invalid(where + ": meta '" + io.airlock.core.store.RelativePaths.printable(field.getKey()) + "' is not a string");
                }
                meta.put(field.getKey(), field.getValue().asText());
            }
        }
        return new Toc(exportName, created, chunkSize, files, meta, formatVersion);
    }

    private static String exportName(Path file, String where) {
        String fileName = file.getFileName().toString();
        if (!fileName.endsWith("-toc.json")) {
            throw invalid(where + ": the name must end in -toc.json");
        }
        return ArchiveNames.checkExportName(fileName.substring(0, fileName.length() - "-toc.json".length()));
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw invalid(where + ": '" + field + "' is missing or not a string");
        }
        return value.asText();
    }

    private static AirlockException invalid(String message) {
        return new AirlockException(ErrorCode.ARCHIVE_INVALID, message);
    }
}
