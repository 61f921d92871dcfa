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
public record Manifest(int formatVersion, String producer, List<PluginVersion> plugins, List<ExportedRepository> repositories,
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

    /**
     * An exported repository version. {@code contentCount} and {@code membershipSha256} describe its
     * complete membership, whether the archive carries it whole or as a {@code delta} against the
     * base version's membership.
     */
    public record ExportedRepository(String name, String family, int version, Optional<Integer> baseVersion,
            long contentCount, String membershipSha256, Optional<MembershipDelta> delta) {
        public ExportedRepository {
            requireNonNull(delta, "delta");
        }
    }

    /**
     * A membership carried as the keys added to and removed from the base version's membership,
     * which has {@code baseCount} keys and the sha256 {@code baseSha256} (of its keys as a
     * {@code membership/<n>.keys} entry would hold them).
     */
    public record MembershipDelta(String baseSha256, long baseCount, long added, long removed) {
        public MembershipDelta {
            requireNonNull(baseSha256, "baseSha256");
        }
    }

    /** The fields of a membership delta: all of them or none. */
    private static final List<String> DELTA_FIELDS = List.of("base_membership_sha256", "base_content_count", "added_count",
            "removed_count");

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
        int formatVersion = ArchiveNames.checkFormatVersion(root, where);
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
            long contentCount = number(repo, "content_count", at);
            Optional<Integer> baseVersion = base == null || base.isNull() ? Optional.empty() : Optional.of(base.asInt());
            repositories.add(new ExportedRepository(name, family, versionNumber(repo, at), baseVersion, contentCount, membership,
                    delta(repo, at, formatVersion, baseVersion, contentCount)));
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
        return new Manifest(formatVersion, producer, plugins, repositories, content, number(artifacts, "count", where + ", artifacts"),
                number(artifacts, "bytes", where + ", artifacts"), number(root, "content_artifacts", where));
    }

    /**
     * A repository's membership delta, when the manifest declares one: only in format version 2,
     * only against a base version, with all four fields, and with counts that add up (the base's
     * keys, less the removed, plus the added, are the version's).
     */
    private static Optional<MembershipDelta> delta(JsonNode repo, String at, int formatVersion, Optional<Integer> baseVersion,
            long contentCount) {
        List<String> present = DELTA_FIELDS.stream().filter(repo::has).toList();
        if (present.isEmpty()) {
            return Optional.empty();
        }
        if (present.size() != DELTA_FIELDS.size()) {
            throw invalid(at + ": '" + DELTA_FIELDS.stream().filter(f -> !repo.has(f)).findFirst().orElseThrow()
                    + "' is missing beside '" + present.get(0) + "'");
        }
        if (formatVersion < ArchiveNames.DELTA_FORMAT_VERSION) {
            throw invalid(at + ": a membership delta ('base_membership_sha256') needs format version "
                    + ArchiveNames.DELTA_FORMAT_VERSION + ", not " + formatVersion);
        }
        if (baseVersion.isEmpty()) {
            throw invalid(at + ": a membership delta needs a 'base_version'");
        }
        String baseSha256 = text(repo, "base_membership_sha256", at);
        if (!Sha256.isHex(baseSha256)) {
            throw invalid(at + ": 'base_membership_sha256' is not a sha256");
        }
        long baseCount = number(repo, "base_content_count", at);
        long added = number(repo, "added_count", at);
        long removed = number(repo, "removed_count", at);
        // In this order no step overflows: removed <= baseCount, and contentCount - added >= 0.
        if (removed > baseCount || added > contentCount || baseCount - removed != contentCount - added) {
            throw invalid(at + ": the base's " + baseCount + " units less " + removed + " removed plus " + added
                    + " added are not the 'content_count' " + contentCount);
        }
        return Optional.of(new MembershipDelta(baseSha256, baseCount, added, removed));
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
