package io.airlock.core.copy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.airlock.core.copy.CopyRequest.ContentName;
import io.airlock.core.copy.CopyRequest.Entry;
import io.airlock.core.repository.VersionRef;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.copy.CopyOptions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** Reads a copy request from JSON or YAML, gathering every problem of the document before refusing it. */
final class RequestParser {

    static final String DEPENDENCY_SOLVING = "dependency_solving";
    static final String DEPENDENCY_UPGRADE = "dependency_upgrade";
    static final String INCLUDE_RECOMMENDS = "include_recommends";
    static final String CONFIG = "config";
    static final String SOURCE = "source_repo_version";
    static final String DEST = "dest_repo";
    static final String BASE = "dest_base_version";
    static final String CONTENT = "content";

    private static final Set<String> TOP_KEYS = Set.of(DEPENDENCY_SOLVING, DEPENDENCY_UPGRADE, INCLUDE_RECOMMENDS, CONFIG);
    private static final Set<String> ENTRY_KEYS = Set.of(SOURCE, DEST, BASE, CONTENT);
    private static final String TOP_EXPECTED = String.join(", ", DEPENDENCY_SOLVING, DEPENDENCY_UPGRADE, INCLUDE_RECOMMENDS, CONFIG);
    private static final String ENTRY_EXPECTED = String.join(", ", SOURCE, DEST, BASE, CONTENT);

    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxDocumentLength(CopyRequest.MAX_SIZE)
            .maxStringLength(1 << 20)
            .maxNestingDepth(32)
            .maxNumberLength(100)
            .build();

    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(LIMITS).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .loaderOptions(yamlLimits())
                    .streamReadConstraints(LIMITS)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS) // a second YAML document
            .build();

    private final String origin;
    private final Problems problems;

    private RequestParser(String origin) {
        this.origin = origin;
        this.problems = new Problems(origin);
    }

    static CopyRequest parse(String text, String origin) {
        return new RequestParser(origin).read(text);
    }

    private static LoaderOptions yamlLimits() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(CopyRequest.MAX_SIZE); // SnakeYAML's default stops at ~3 MB
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        return options;
    }

    private CopyRequest read(String text) {
        boolean yaml = isYaml(text);
        JsonNode root;
        try {
            root = (yaml ? YAML : JSON).readTree(text);
        } catch (JsonProcessingException e) {
            throw new AirlockException(ErrorCode.INVALID_INPUT,
                    Problems.prefix(origin) + "malformed " + (yaml ? "YAML" : "JSON") + where(e));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, Problems.prefix(origin) + "the request is empty");
        }
        if (!root.isObject()) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, Problems.prefix(origin)
                    + "the request must be a mapping with a '" + CONFIG + "' list, not " + describe(root));
        }
        unknownKeys(root, TOP_KEYS, "", TOP_EXPECTED, -1);
        boolean solving = flag(root, DEPENDENCY_SOLVING, CopyOptions.DEFAULT.dependencySolving());
        boolean upgrade = flag(root, DEPENDENCY_UPGRADE, CopyOptions.DEFAULT.dependencyUpgrade());
        boolean recommends = flag(root, INCLUDE_RECOMMENDS, CopyOptions.DEFAULT.includeRecommends());
        List<Entry> entries = new ArrayList<>();
        JsonNode config = root.get(CONFIG);
        if (config == null) {
            problems.top(ErrorCode.INVALID_INPUT, CONFIG + ": missing (a list of entries with "
                    + SOURCE + " and " + DEST + ")");
        } else if (!config.isArray()) {
            problems.top(ErrorCode.INVALID_INPUT, CONFIG + ": must be a list of entries, not " + describe(config));
        } else if (config.isEmpty()) {
            problems.top(ErrorCode.INVALID_INPUT, CONFIG + ": the list is empty");
        } else {
            for (int i = 0; i < config.size(); i++) {
                Entry entry = entry(i, config.get(i));
                if (entry != null) {
                    entries.add(entry);
                }
            }
        }
        problems.throwIfAny();
        return new CopyRequest(origin, entries, new CopyOptions(solving, upgrade, recommends), false);
    }

    private boolean isYaml(String text) {
        String name = origin.toLowerCase(Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return true;
        }
        if (name.endsWith(".json")) {
            return false;
        }
        String stripped = text.stripLeading();
        return !stripped.startsWith("{");
    }

    /** Entry {@code i}, or null when it has problems (recorded). */
    private Entry entry(int i, JsonNode node) {
        String place = CONFIG + "[" + i + "]";
        if (!node.isObject()) {
            problems.at(i, Problems.ENTRY, ErrorCode.INVALID_INPUT, place + ": must be a mapping with "
                    + SOURCE + " and " + DEST + ", not " + describe(node));
            return null;
        }
        boolean ok = unknownKeys(node, ENTRY_KEYS, place + ".", ENTRY_EXPECTED, i);

        VersionRef source = null;
        String sourceText = requiredString(node, SOURCE, place, i, Problems.SOURCE);
        if (sourceText != null) {
            try {
                source = VersionRef.parse(sourceText);
            } catch (AirlockException e) {
                problems.at(i, Problems.SOURCE, ErrorCode.INVALID_INPUT, place + "." + SOURCE + ": " + e.getMessage());
            }
        }
        String destination = requiredString(node, DEST, place, i, Problems.DESTINATION);

        OptionalInt base = OptionalInt.empty();
        JsonNode baseNode = node.get(BASE);
        if (baseNode != null && !baseNode.isNull()) {
            if (baseNode.isIntegralNumber() && baseNode.canConvertToInt() && baseNode.intValue() >= 0) {
                base = OptionalInt.of(baseNode.intValue());
            } else {
                problems.at(i, Problems.BASE, ErrorCode.INVALID_INPUT,
                        place + "." + BASE + ": must be a version number (0 or more), not " + describe(baseNode));
                ok = false;
            }
        }

        Optional<List<ContentName>> content = Optional.empty();
        JsonNode contentNode = node.get(CONTENT);
        if (contentNode != null) {
            if (!contentNode.isArray()) {
                problems.at(i, Problems.CONTENT, ErrorCode.INVALID_INPUT, place + "." + CONTENT
                        + ": must be a list of TYPE:LABEL names (omit it to copy the whole version), not " + describe(contentNode));
                ok = false;
            } else {
                List<ContentName> names = new ArrayList<>(); // duplicates kept: positions name problems
                for (int j = 0; j < contentNode.size(); j++) {
                    JsonNode name = contentNode.get(j);
                    String unitPlace = place + "." + CONTENT + "[" + j + "]";
                    if (!name.isTextual()) {
                        problems.at(i, Problems.CONTENT + j, ErrorCode.INVALID_INPUT,
                                unitPlace + ": must be a TYPE:LABEL string, not " + describe(name));
                        ok = false;
                        continue;
                    }
                    try {
                        names.add(ContentName.parse(name.textValue()));
                    } catch (AirlockException e) {
                        problems.at(i, Problems.CONTENT + j, ErrorCode.INVALID_INPUT, unitPlace + ": " + e.getMessage());
                        ok = false;
                    }
                }
                content = Optional.of(List.copyOf(names));
            }
        }
        if (!ok || source == null || destination == null) {
            return null;
        }
        return new Entry(source, destination, base, content);
    }

    private String requiredString(JsonNode node, String key, String place, int entry, int position) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            problems.at(entry, position, ErrorCode.INVALID_INPUT, place + "." + key + ": missing");
            return null;
        }
        if (!value.isTextual() || value.textValue().isBlank()) {
            problems.at(entry, position, ErrorCode.INVALID_INPUT, place + "." + key + ": must be a "
                    + (key.equals(SOURCE) ? "NAME or NAME@N" : "repository name") + " string, not " + describe(value));
            return null;
        }
        return value.textValue();
    }

    private boolean flag(JsonNode root, String key, boolean fallback) {
        JsonNode value = root.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            problems.top(ErrorCode.INVALID_INPUT, key + ": must be true or false, not " + describe(value));
            return fallback;
        }
        return value.booleanValue();
    }

    private boolean unknownKeys(JsonNode node, Set<String> allowed, String prefix, String expected, int entry) {
        boolean ok = true;
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            String key = fields.next().getKey();
            if (!allowed.contains(key)) {
                String text = prefix + key + ": unknown key (expected " + expected + ")";
                if (entry < 0) {
                    problems.top(ErrorCode.INVALID_INPUT, text);
                } else {
                    problems.at(entry, Problems.ENTRY, ErrorCode.INVALID_INPUT, text);
                }
                ok = false;
            }
        }
        return ok;
    }

    /** A value as the message shows it: its JSON text, cut short. */
    private static String describe(JsonNode value) {
        String text = value.toString();
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    /** {@code  at line L, column C: what}, from Jackson's or SnakeYAML's report, on one line. */
    private static String where(JsonProcessingException e) {
        Throwable cause = e.getCause();
        if (cause instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            Mark mark = yaml.getProblemMark();
            String what = yaml.getProblem() != null ? yaml.getProblem() : yaml.getMessage();
            if (yaml.getContext() != null) {
                what = yaml.getContext() + ": " + what;
            }
            return " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": " + oneLine(what);
        }
        JsonLocation location = e.getLocation();
        String what = oneLine(e.getOriginalMessage());
        if (location == null || location.getLineNr() < 1) {
            return ": " + what;
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr() + ": " + what;
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
