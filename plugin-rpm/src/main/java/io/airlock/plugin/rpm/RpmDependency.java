package io.airlock.plugin.rpm;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One entry of a package's dependency list as primary metadata gives it ({@code <rpm:entry>}):
 * a name (a capability, a file path, or a rich dependency in parentheses) and, when versioned, a
 * comparison flag ({@code EQ}, {@code LT}, {@code LE}, {@code GT}, {@code GE}) with epoch, version
 * and release. Absent parts are null; {@code pre} marks a {@code Requires(pre)}.
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record RpmDependency(String name, String flags, String epoch, String version, String release, boolean pre) {

    public RpmDependency {
        requireNonNull(name, "name");
    }

    /**
     * Reads the stored form, where {@code pre} is written only when true (most entries are not, and
     * a package has dozens of entries) and so may be absent.
     */
    @JsonCreator
    static RpmDependency fromJson(@JsonProperty("name") String name, @JsonProperty("flags") String flags,
            @JsonProperty("epoch") String epoch, @JsonProperty("version") String version,
            @JsonProperty("release") String release, @JsonProperty("pre") Boolean pre) {
        return new RpmDependency(name, flags, epoch, version, release, Boolean.TRUE.equals(pre));
    }

    public static RpmDependency of(String name) {
        return new RpmDependency(name, null, null, null, null, false);
    }

    /** The dependency as rpm prints it: {@code name}, or {@code name >= [epoch:]version[-release]}. */
    @Override
    public String toString() {
        if (flags == null) {
            return name;
        }
        String op = switch (flags) {
            case "EQ" -> "=";
            case "LT" -> "<";
            case "LE" -> "<=";
            case "GT" -> ">";
            case "GE" -> ">=";
            default -> flags;
        };
        StringBuilder evr = new StringBuilder();
        if (epoch != null && !epoch.equals("0")) {
            evr.append(epoch).append(':');
        }
        if (version != null) {
            evr.append(version);
        }
        if (release != null) {
            evr.append('-').append(release);
        }
        return name + " " + op + " " + evr;
    }
}
