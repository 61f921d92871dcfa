package io.airlock.plugin.rpm.repodata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.airlock.plugin.rpm.Modulemd;
import io.airlock.plugin.rpm.ModulemdDefaults;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Content;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.Messages;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads {@code modules.yaml}: a stream of YAML documents, of which {@code modulemd} and
 * {@code modulemd-defaults} become units (others, such as obsoletes, are skipped). The file is split
 * into documents first, so each unit keeps its original text and only one document is in memory.
 */
final class ModulesReader {

    private static final int MAX_DOCUMENT_CHARS = 64 * 1024 * 1024;
    private static final ObjectMapper YAML = newMapper();

    private ModulesReader() {
    }

    private static ObjectMapper newMapper() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_DOCUMENT_CHARS);
        options.setAllowDuplicateKeys(false);
        YAMLFactory factory = YAMLFactory.builder()
                .loaderOptions(options)
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_DOCUMENT_CHARS).build())
                .build();
        return new YAMLMapper(factory);
    }

    static long read(InputStream in, String file, Consumer<Content> units) throws IOException {
        long count = 0;
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        StringBuilder document = new StringBuilder();
        int lineNumber = 0;
        int documentLine = 1;
        for (String line; (line = lines.readLine()) != null; ) {
            lineNumber++;
            if (line.startsWith("---") && hasContent(document)) {
                count += emit(document.toString(), file, documentLine, units);
                document.setLength(0);
                documentLine = lineNumber;
            }
            if (document.isEmpty()) {
                documentLine = lineNumber;
            }
            document.append(line).append('\n');
            if (document.length() > MAX_DOCUMENT_CHARS) {
                throw new AirlockException(ErrorCode.INVALID_INPUT, file + " line " + documentLine
                        + ": a YAML document longer than " + MAX_DOCUMENT_CHARS + " characters");
            }
            if (line.equals("...")) {
                count += emit(document.toString(), file, documentLine, units);
                document.setLength(0);
            }
        }
        if (hasContent(document)) {
            count += emit(document.toString(), file, documentLine, units);
        }
        return count;
    }

    private static boolean hasContent(CharSequence text) {
        for (String line : text.toString().split("\n")) {
            String stripped = line.strip();
            if (!stripped.isEmpty() && !stripped.startsWith("#") && !stripped.equals("---") && !stripped.equals("...")) {
                return true;
            }
        }
        return false;
    }

    private static int emit(String text, String file, int line, Consumer<Content> units) {
        if (!hasContent(text)) {
            return 0;
        }
        String where = file + " document at line " + line;
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            String position = e.getLocation() == null ? where
                    : file + " line " + (line - 1 + e.getLocation().getLineNr()) + " column " + e.getLocation().getColumnNr();
            throw new AirlockException(ErrorCode.INVALID_INPUT, position + ": malformed YAML: " + Messages.cut(e.getOriginalMessage(), Xml.MAX_MESSAGE));
        }
        if (root == null || !root.isObject()) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, where + ": not a YAML mapping");
        }
        String kind = root.path("document").asText("");
        JsonNode data = root.path("data");
        switch (kind) {
            case "modulemd" -> units.accept(modulemd(data, text, where));
            case "modulemd-defaults" -> units.accept(defaults(data, text, where));
            default -> {
                return 0;
            }
        }
        return 1;
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
