package io.airlock.plugin.rpm.repodata;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.airlock.plugin.rpm.Modulemd;
import io.airlock.plugin.rpm.ModulemdDefaults;
import io.airlock.plugin.rpm.ModulemdObsolete;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Content;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.Messages;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads {@code modules.yaml}: a stream of YAML documents, of which {@code modulemd},
 * {@code modulemd-defaults} and {@code modulemd-obsoletes} become units (others, such as
 * translations, are skipped). The file is split into documents first, so each unit keeps its
 * original text and only one document is in memory. Scalars are read as written: {@code stream: 1.10}
 * is the stream {@code 1.10}, not the number 1.1 (nor {@code 011} the octal 9).
 */
final class ModulesReader {

    private static final ObjectMapper YAML = newMapper();

    private ModulesReader() {
    }

    private static ObjectMapper newMapper() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(Limits.YAML_DOCUMENT_CHARS);
        options.setNestingDepthLimit(Limits.YAML_DEPTH);
        options.setMaxAliasesForCollections(50);
        options.setAllowDuplicateKeys(false);
        YAMLFactory factory = YAMLFactory.builder()
                .loaderOptions(options)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(Limits.YAML_DOCUMENT_CHARS)
                        .maxNestingDepth(Limits.YAML_DEPTH)
                        .build())
                .build();
        return new YAMLMapper(factory);
    }

    /**
     * Splits the file into documents at {@code ---} and {@code ...} lines, in one pass: a line is at
     * most {@link Limits#YAML_LINE_CHARS} characters and a document {@link Limits#YAML_DOCUMENT_CHARS}.
     */
    static long read(InputStream in, String file, Consumer<Content> units) throws IOException {
        long count = 0;
        Lines lines = new Lines(new InputStreamReader(in, StandardCharsets.UTF_8), file);
        StringBuilder document = new StringBuilder();
        boolean content = false; // the document holds more than blank, comment and marker lines
        boolean started = false; // the document holds a --- line
        int documentLine = 1;
        for (String line; (line = lines.next()) != null; ) {
            int lineNumber = lines.number();
            if (line.startsWith("---")) {
                if (content) {
                    count += emit(document.toString(), file, documentLine, units);
                    document.setLength(0);
                    content = false;
                } else if (started) {
                    // "---" after "---" with nothing between: an empty document, dropped, so that a run
                    // of markers costs linear time.
                    document.setLength(0);
                }
                started = true;
            }
            if (document.isEmpty()) {
                documentLine = lineNumber;
            }
            document.append(line).append('\n');
            content |= isContent(line);
            if (document.length() > Limits.YAML_DOCUMENT_CHARS) {
                throw new AirlockException(ErrorCode.INVALID_INPUT, file + " line " + documentLine
                        + ": a YAML document longer than the limit of " + Limits.show(Limits.YAML_DOCUMENT_CHARS, "characters"));
            }
            if (line.equals("...")) {
                count += emit(document.toString(), file, documentLine, units);
                document.setLength(0);
                content = false;
                started = false;
            }
        }
        if (content) {
            count += emit(document.toString(), file, documentLine, units);
        }
        return count;
    }

    /** A line that is not blank, a comment or a document marker. */
    private static boolean isContent(String line) {
        String stripped = line.strip();
        return !stripped.isEmpty() && !stripped.startsWith("#") && !stripped.equals("---") && !stripped.equals("...");
    }

    private static boolean hasContent(String text) {
        for (String line : text.split("\n")) {
            if (isContent(line)) {
                return true;
            }
        }
        return false;
    }

    /** Lines of a reader (ended by LF, CRLF or CR), each at most {@link Limits#YAML_LINE_CHARS} characters. */
    private static final class Lines {
        private final Reader reader;
        private final String file;
        private final char[] buffer = new char[1 << 16];
        private final StringBuilder line = new StringBuilder();
        private int position;
        private int limit;
        private int number;
        private boolean skipLineFeed;

        Lines(Reader reader, String file) {
            this.reader = reader;
            this.file = file;
        }

        /** The next line without its end, or null at the end of the input. */
        String next() throws IOException {
            line.setLength(0);
            boolean any = false;
            while (true) {
                if (position == limit) {
                    limit = reader.read(buffer, 0, buffer.length);
                    position = 0;
                    if (limit <= 0) {
                        limit = 0;
                        if (!any) {
                            return null;
                        }
                        number++;
                        return line.toString();
                    }
                }
                char c = buffer[position++];
                if (skipLineFeed) {
                    skipLineFeed = false;
                    if (c == '\n') {
                        continue;
                    }
                }
                any = true;
                if (c == '\n' || c == '\r') {
                    skipLineFeed = c == '\r';
                    number++;
                    return line.toString();
                }
                if (line.length() == Limits.YAML_LINE_CHARS) {
                    throw new AirlockException(ErrorCode.INVALID_INPUT, file + " line " + (number + 1)
                            + ": a line longer than the limit of " + Limits.show(Limits.YAML_LINE_CHARS, "characters"));
                }
                line.append(c);
            }
        }

        /** The number of the line {@link #next} returned last, from 1. */
        int number() {
            return number;
        }
    }

    private static int emit(String text, String file, int line, Consumer<Content> units) throws IOException {
        if (!hasContent(text)) {
            return 0;
        }
        String where = file + " document at line " + line;
        JsonNode root;
        try {
            root = readTree(text);
        } catch (JsonProcessingException e) {
            String position = e.getLocation() == null ? where
                    : file + " line " + (line - 1 + e.getLocation().getLineNr()) + " column " + e.getLocation().getColumnNr();
            throw new AirlockException(ErrorCode.INVALID_INPUT, position + ": malformed YAML: " + problem(e));
        }
        if (root == null || !root.isObject()) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, where + ": not a YAML mapping");
        }
        String kind = root.path("document").asText("");
        JsonNode data = root.path("data");
        switch (kind) {
            case "modulemd" -> units.accept(modulemd(data, text, where));
            case "modulemd-defaults" -> units.accept(defaults(data, text, where));
            case "modulemd-obsoletes" -> units.accept(obsolete(data, text, where));
            default -> {
                return 0;
            }
        }
        return 1;
    }

    /**
     * The document as a tree whose scalars keep the text they were written with: a YAML number
     * ({@code 1.10}, {@code 011}) is a string of its digits, booleans and nulls stay what they are.
     */
    private static JsonNode readTree(String text) throws IOException {
        try (JsonParser parser = YAML.getFactory().createParser(text)) {
            JsonToken first = parser.nextToken();
            return first == null ? null : node(parser, first);
        }
    }

    private static JsonNode node(JsonParser parser, JsonToken token) throws IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                    String field = parser.currentName();
                    object.set(field, node(parser, parser.nextToken()));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    array.add(node(parser, t));
                }
                return array;
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return nodes.booleanNode(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return nodes.nullNode();
            }
            default -> {
                return nodes.textNode(parser.getText());
            }
        }
    }

    /** SnakeYAML's problem on one line ("while parsing a flow sequence: expected ',' or ']'…"), without its excerpt. */
    private static String problem(JsonProcessingException e) {
        String what = e.getOriginalMessage();
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblem() != null) {
            what = yaml.getContext() != null ? yaml.getContext() + ": " + yaml.getProblem() : yaml.getProblem();
        }
        return what == null ? "" : what.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    private static Modulemd modulemd(JsonNode data, String text, String where) {
        String name = required(data, "name", where);
        String stream = required(data, "stream", where);
        String versionText = required(data, "version", where);
        long version;
        try {
            version = Long.parseLong(versionText);
        } catch (NumberFormatException e) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, where + ": modulemd version '" + Messages.cut(versionText) + "' is not a number");
        }
        String context = required(data, "context", where);
        String arch = required(data, "arch", where);
        Boolean staticContext = data.has("static_context") ? data.get("static_context").asBoolean() : null;
        List<Map<String, Map<String, List<String>>>> dependencies = new ArrayList<>();
        for (JsonNode entry : data.path("dependencies")) {
            Map<String, Map<String, List<String>>> kinds = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = entry.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> kind = it.next();
                Map<String, List<String>> modules = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> m = kind.getValue().fields(); m.hasNext(); ) {
                    Map.Entry<String, JsonNode> module = m.next();
                    modules.put(module.getKey(), strings(module.getValue()));
                }
                kinds.put(kind.getKey(), modules);
            }
            dependencies.add(kinds);
        }
        List<String> artifacts = strings(data.path("artifacts").path("rpms"));
        Map<String, List<String>> profiles = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = data.path("profiles").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> profile = it.next();
            profiles.put(profile.getKey(), strings(profile.getValue().path("rpms")));
        }
        return new Modulemd(name, stream, version, context, arch, text)
                .details(staticContext, optional(data, "summary"), optional(data, "description"), dependencies, artifacts, profiles);
    }

    private static ModulemdDefaults defaults(JsonNode data, String text, String where) {
        String module = required(data, "module", where);
        Map<String, List<String>> profiles = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = data.path("profiles").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> profile = it.next();
            profiles.put(profile.getKey(), strings(profile.getValue()));
        }
        return new ModulemdDefaults(module, optional(data, "stream"), profiles, text);
    }

    /** A {@code modulemd-obsoletes} document (version 1): module, stream, modified and message are required. */
    private static ModulemdObsolete obsolete(JsonNode data, String text, String where) {
        String module = required(data, "module", where);
        String stream = required(data, "stream", where);
        String modified = required(data, "modified", where);
        String message = required(data, "message", where);
        JsonNode reset = data.get("reset");
        if (reset != null && !reset.isNull() && !reset.isBoolean()) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, where + ": data.reset '" + Messages.cut(reset.asText())
                    + "' is not true or false");
        }
        JsonNode by = data.path("obsoleted_by");
        if (!by.isMissingNode() && !by.isNull() && !by.isObject()) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, where + ": data.obsoleted_by is not a mapping");
        }
        String byModule = by.isObject() ? required(by, "module", where + " obsoleted_by") : null;
        String byStream = by.isObject() ? required(by, "stream", where + " obsoleted_by") : null;
        return new ModulemdObsolete(module, stream, optional(data, "context"), modified, message, text)
                .details(reset == null || reset.isNull() ? null : reset.asBoolean(), optional(data, "eol_date"), byModule, byStream);
    }

    private static String required(JsonNode data, String field, String where) {
        JsonNode value = data.get(field);
        if (value == null || value.isNull() || !value.isValueNode() || value.asText().isEmpty()) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, where + ": data." + field + " is missing");
        }
        return value.asText();
    }

    private static String optional(JsonNode data, String field) {
        JsonNode value = data.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** A YAML list of scalars as strings; a single scalar as a one-element list. */
    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode item : node) {
                values.add(item.asText());
            }
        } else if (node.isValueNode() && !node.isNull()) {
            values.add(node.asText());
        }
        return values;
    }
}
