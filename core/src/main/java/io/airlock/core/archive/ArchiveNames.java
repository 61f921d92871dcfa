package io.airlock.core.archive;

import com.fasterxml.jackson.databind.JsonNode;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.util.regex.Pattern;

/** Names of an export's files and of the entries inside its tar stream (see docs/archive-format.md). */
public final class ArchiveNames {

    public static final String FORMAT = "airlock-export";
    /** The format of an archive whose memberships are all complete lists: what every Airlock reads. */
    public static final int FORMAT_VERSION = 1;
    /** The format of an archive with at least one membership delta ({@code membership/<n>.added} and {@code .removed}). */
    public static final int DELTA_FORMAT_VERSION = 2;

    public static final String MANIFEST = "manifest.json";
    public static final String ARTIFACT_LIST = "artifacts.jsonl";
    public static final String CONTENT_ARTIFACTS = "content_artifacts.jsonl";

    private static final Pattern EXPORT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern ARTIFACT = Pattern.compile("artifacts/([0-9a-f]{2})/([0-9a-f]{64})");
    private static final Pattern CONTENT = Pattern.compile("content/([a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*)\\.jsonl");
    private static final Pattern MEMBERSHIP = Pattern.compile("membership/(0|[1-9][0-9]{0,5})\\.keys");

    private ArchiveNames() {
    }

    /** Checks an export's base name (the part before {@code .tar} and {@code -toc.json}). */
    public static String checkExportName(String name) {
        if (name == null || !EXPORT_NAME.matcher(name).matches()) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, "'" + name + "' is not a valid export name "
                    + "(letters, digits, '.', '_' and '-', at most 128)");
        }
        return name;
    }

    public static String tocName(String exportName) {
        return exportName + "-toc.json";
    }

    public static String tarName(String exportName) {
        return exportName + ".tar";
    }

    public static String chunkName(String exportName, int index) {
        if (index < 0 || index > 999_999) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, "an export cannot have more than 1,000,000 chunks");
        }
        return String.format("%s.tar.%06d", exportName, index);
    }

    public static String artifactEntry(String sha256) {
        return "artifacts/" + sha256.substring(0, 2) + "/" + sha256;
    }

    public static String contentEntry(String type) {
        return "content/" + type + ".jsonl";
    }

    public static String membershipEntry(int index) {
        return "membership/" + index + ".keys";
    }

    /** The entry of the keys a membership delta adds to its base's membership. */
    public static String membershipAddedEntry(int index) {
        return "membership/" + index + ".added";
    }

    /** The entry of the keys a membership delta removes from its base's membership. */
    public static String membershipRemovedEntry(int index) {
        return "membership/" + index + ".removed";
    }

    /** The sha256 an artifact entry name carries, or null when the name is not an artifact entry. */
    public static String artifactSha256(String entryName) {
        var matcher = ARTIFACT.matcher(entryName);
        if (!matcher.matches() || !matcher.group(2).startsWith(matcher.group(1))) {
            return null;
        }
        return matcher.group(2);
    }

    /** The type id a content entry name carries, or null. */
    public static String contentType(String entryName) {
        var matcher = CONTENT.matcher(entryName);
        return matcher.matches() ? matcher.group(1) : null;
    }

    /**
     * Checks the {@code format_version} of a TOC or manifest: an integer JSON number equal to
     * {@link #FORMAT_VERSION} or {@link #DELTA_FORMAT_VERSION}, nothing else (no {@code 1.0}, no
     * {@code "1"}, no number that only truncates to 1). The message names the value as read and the
     * versions supported. Returns the version.
     */
    static int checkFormatVersion(JsonNode root, String where) {
        JsonNode version = root.get("format_version");
        if (version == null) {
            throw new AirlockException(ErrorCode.ARCHIVE_INVALID, where + ": 'format_version' is missing (" + SUPPORTED + ")");
        }
        // Compared as a BigInteger: a long or int view would truncate 18446744073709551617 to 1.
        if (version.isIntegralNumber()) {
            java.math.BigInteger value = version.bigIntegerValue();
            for (int supported : new int[] {FORMAT_VERSION, DELTA_FORMAT_VERSION}) {
                if (value.equals(java.math.BigInteger.valueOf(supported))) {
                    return supported;
                }
            }
        }
        throw new AirlockException(ErrorCode.ARCHIVE_INVALID, where + ": format version " + io.airlock.core.store.RelativePaths.printable(version.toString())
                + " is not supported (" + SUPPORTED + ")");
    }

    private static final String SUPPORTED = "this Airlock reads versions " + FORMAT_VERSION + " and " + DELTA_FORMAT_VERSION;

    /** The repository index a membership entry name carries, or -1. */
    public static int membershipIndex(String entryName) {
        var matcher = MEMBERSHIP.matcher(entryName);
        return matcher.matches() ? Integer.parseInt(matcher.group(1)) : -1;
    }
}
