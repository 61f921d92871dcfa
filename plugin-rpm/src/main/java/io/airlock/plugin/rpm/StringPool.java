package io.airlock.plugin.rpm;

import java.util.HashMap;
import java.util.Map;

/**
 * One instance per distinct string: RPM metadata repeats the same arches, flags, versions and
 * capability names across thousands of packages, and sharing them keeps what is held in memory
 * (a batch being read, a version's packages for the solver) small. Not thread-safe.
 */
public final class StringPool {

    private final Map<String, String> strings = new HashMap<>();

    /** The pooled instance equal to {@code value}; null for null. */
    public String intern(String value) {
        if (value == null) {
            return null;
        }
        String pooled = strings.putIfAbsent(value, value);
        return pooled == null ? value : pooled;
    }

    public int size() {
        return strings.size();
    }

    public void clear() {
        strings.clear();
    }
}
