package io.airlock.plugin.rpm.solve;

import static java.util.Objects.requireNonNull;

import io.airlock.plugin.rpm.RpmDependency;
import io.airlock.plugin.rpm.StringPool;
import java.util.AbstractList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * Dependency lists in the form a solver keeps for a whole repository version: per entry a pooled
 * name and a pooled version part (flags, epoch, version, release, pre), two references in one
 * array, with the {@link RpmDependency} made when an entry is read. A distribution has about forty
 * entries per package and hundreds of thousands in all, nearly all names and versions repeated, so
 * an object per entry would be most of a version's footprint. Not thread-safe while packing; the
 * lists it makes are immutable and may be read concurrently.
 */
public final class CompactDependencies {

    private static final Object[] EMPTY = new Object[0];

    private final StringPool names;
    /** Version parts by themselves (name ""), one instance of each. */
    private final Map<RpmDependency, RpmDependency> versions = new HashMap<>();

    /** Packs with names interned in {@code names} (shared with the caller's other strings). */
    public CompactDependencies(StringPool names) {
        this.names = requireNonNull(names, "names");
    }

    /** The entries of {@code dependencies} in packed form, in order. */
    public List<RpmDependency> pack(List<RpmDependency> dependencies) {
        if (dependencies.isEmpty()) {
            return List.of();
        }
        Object[] entries = new Object[dependencies.size() * 2];
        int at = 0;
        for (RpmDependency d : dependencies) {
            entries[at++] = names.intern(d.name());
            entries[at++] = versionPart(d);
        }
        return new Packed(entries);
    }

    private RpmDependency versionPart(RpmDependency d) {
        if (d.flags() == null && d.epoch() == null && d.version() == null && d.release() == null && !d.pre()) {
            return null;
        }
        RpmDependency part = new RpmDependency("", names.intern(d.flags()), names.intern(d.epoch()), names.intern(d.version()),
                names.intern(d.release()), d.pre());
        RpmDependency known = versions.putIfAbsent(part, part);
        return known == null ? part : known;
    }

    /** A packed list: name, version part (null when unversioned), name, version part, … */
    private static final class Packed extends AbstractList<RpmDependency> implements RandomAccess {
        private final Object[] entries;

        Packed(Object[] entries) {
            this.entries = entries.length == 0 ? EMPTY : entries;
        }

        @Override
        public RpmDependency get(int index) {
            String name = (String) entries[index * 2];
            RpmDependency part = (RpmDependency) entries[index * 2 + 1];
            return part == null ? RpmDependency.of(name)
                    : new RpmDependency(name, part.flags(), part.epoch(), part.version(), part.release(), part.pre());
        }

        @Override
        public int size() {
            return entries.length / 2;
        }
    }
}
