package io.airlock.core.archive;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.airlock.core.store.Sha256;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.Messages;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The manifest of an export (docs/archive-format.md), parsed and checked. */
public record Manifest(String producer, List<PluginVersion> plugins, List<ExportedRepository> repositories,
        Map<String, Long> content, long artifacts, long artifactBytes, long contentArtifacts) {

    public Manifest {
        plugins = List.copyOf(plugins);
        repositories = List.copyOf(repositories);
        content = Map.copyOf(content);
    }

    public record PluginVersion(String name, String version) {
        public PluginVersion {
            requireNonNull(name, "name");
            requireNonNull(version, "version");
        }
    }

    public record ExportedRepository(String name, String family, int version, Optional<Integer> baseVersion,
            long contentCount, String membershipSha256) {
    }

    static Manifest parse(byte[] bytes, String where) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(bytes);
        } catch (IOException e) {
            throw invalid(where + " is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw invalid(where + " is not a JSON object");
        }
        if (!ArchiveNames.FORMAT.equals(text(root, "format", where))) {
            throw invalid(where + ": format is not " + ArchiveNames.FORMAT);
        }
        JsonNode version = root.get("format_version");
        if (version == null || !version.isIntegralNumber() || version.asLong() != ArchiveNames.FORMAT_VERSION) {
            throw invalid(where + ": format version " + Messages.cut(String.valueOf(version)) + " is not supported (this Airlock reads version "
                    + ArchiveNames.FORMAT_VERSION + ")");
        }
        String producer = text(root, "producer", where);
        List<PluginVersion> plugins = new ArrayList<>();
        for (JsonNode plugin : array(root, "plugins", where)) {
            plugins.add(new PluginVersion(text(plugin, "name", where + ", plugins"), text(plugin, "version", where + ", plugins")));
        }
        List<ExportedRepository> repositories = new ArrayList<>();
        int index = 0;
        for (JsonNode repo : array(root, "repositories", where)) {
            String at = where + ", repositories[" + index++ + "]";
            JsonNode base = repo.get("base_version");
            if (base != null && !base.isNull() && !base.canConvertToInt()) {
                throw invalid(at + ": 'base_version' is not a version number");
            }
            String membership = text(repo, "membership_sha256", at);
            if (!Sha256.isHex(membership)) {
                throw invalid(at + ": 'membership_sha256' is not a sha256");
            }
            repositories.add(new ExportedRepository(text(repo, "name", at), text(repo, "family", at), (int) number(repo, "version", at),
                    base == null || base.isNull() ? Optional.empty() : Optional.of(base.asInt()),
                    number(repo, "content_count", at), membership));
        }
        if (repositories.isEmpty()) {
            throw invalid(where + " lists no repositories");
        }
        Map<String, Long> content = new TreeMap<>();
        JsonNode contentNode = root.get("content");
        if (contentNode == null || !contentNode.isObject()) {
            throw invalid(where + ": 'content' is missing or not an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = contentNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> type = it.next();
            if (ArchiveNames.contentType(ArchiveNames.contentEntry(type.getKey())) == null) {
                throw invalid(where + ": '" + Messages.cut(type.getKey()) + "' is not a content type id");
            }
            content.put(type.getKey(), number(contentNode, type.getKey(), where + ", content"));
        }
        JsonNode artifacts = root.get("artifacts");
        if (artifacts == null || !artifacts.isObject()) {
            throw invalid(where + ": 'artifacts' is missing or not an object");
        }
        return new Manifest(producer, plugins, repositories, content, number(artifacts, "count", where + ", artifacts"),
                number(artifacts, "bytes", where + ", artifacts"), number(root, "content_artifacts", where));
    }

    private static Iterable<JsonNode> array(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray()) {
            throw invalid(where + ": '" + field + "' is missing or not an array");
        }
        for (JsonNode element : value) {
            if (!element.isObject()) {
                throw invalid(where + ": '" + field + "' holds something other than objects");
            }
        }
        return value;
    }

    static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw invalid(where + ": '" + field + "' is missing or not a string");
        }
        return value.asText();
    }

    static long number(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            throw invalid(where + ": '" + field + "' is missing or not a non-negative integer");
        }
        return value.asLong();
    }

    private static AirlockException invalid(String message) {
        return new AirlockException(ErrorCode.ARCHIVE_INVALID, message);
    }
}
