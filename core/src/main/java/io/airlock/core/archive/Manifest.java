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

    /** As repositories are named (see Repositories), so that names in messages stay short. */
    private static final java.util.regex.Pattern REPOSITORY_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");
    private static final java.util.regex.Pattern FAMILY = java.util.regex.Pattern.compile("[a-z][a-z0-9_]{0,63}");

    static Manifest parse(byte[] bytes, String where) {
        JsonNode root;
        try {
            root = Json.readExact(bytes);
        } catch (IOException e) {
            throw invalid(where + " is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw invalid(where + " is not a JSON object");
        }
        if (!ArchiveNames.FORMAT.equals(text(root, "format", where))) {
            throw invalid(where + ": format is not " + ArchiveNames.FORMAT);
        }
        ArchiveNames.checkFormatVersion(root, where);
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
            if (base != null && !base.isNull() && !(base.isIntegralNumber() && base.canConvertToInt() && base.intValue() >= 0)) {
                throw invalid(at + ": 'base_version' is not a version number");
            }
            String membership = text(repo, "membership_sha256", at);
            if (!Sha256.isHex(membership)) {
                throw invalid(at + ": 'membership_sha256' is not a sha256");
            }
            String name = text(repo, "name", at);
            String family = text(repo, "family", at);
            if (!REPOSITORY_NAME.matcher(name).matches() || !FAMILY.matcher(family).matches()) {
                throw invalid(at + ": '" + io.airlock.core.store.RelativePaths.printable(name) + "' of family '"
                        + io.airlock.core.store.RelativePaths.printable(family) + "' is not a repository name and family");
            }
            repositories.add(new ExportedRepository(name, family, versionNumber(repo, at),
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
                throw invalid(where + ": '" + io.airlock.core.store.RelativePaths.printable(type.getKey()) + "' is not a content type id");
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

    /** A repository version number: an integer that fits (a cast would turn 4294967297 into 1). */
    private static int versionNumber(JsonNode repo, String where) {
        long version = number(repo, "version", where);
        if (version > Integer.MAX_VALUE) {
            throw invalid(where + ": 'version' " + version + " is not a version number");
        }
        return (int) version;
    }

    private static AirlockException invalid(String message) {
        return new AirlockException(ErrorCode.ARCHIVE_INVALID, message);
    }
}
