package io.airlock.plugin.rpm.solve;

import static java.util.Objects.requireNonNull;

import io.airlock.plugin.rpm.RpmDependency;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which packages must come along when packages are copied: the closure of their requirements over
 * the copy's source repositories, for one or more source/destination pairs at once.
 *
 * <p>A requirement is satisfied, and nothing is added, when it is rpm-internal ({@code rpmlib(…)}),
 * when any destination provides it, or when a package already selected or added in any pair
 * provides it. Otherwise the best provider among all sources is added to the pair whose source
 * holds it (the dependent's own pair first, then the lowest pair index) and its requirements are
 * solved in turn. The best provider is, in order: of the dependent's architecture or noarch; the
 * newest EVR; then by name, EVR text, architecture, pair and key so that the choice never depends
 * on input order. A noarch dependent prefers the architecture of the package that brought it in;
 * a selected noarch package prefers its source's most common architecture. File requirements match
 * file lists and provides; rich dependencies are solved term by term ({@code or} takes an
 * alternative already present, else the first that can be satisfied; {@code if}/{@code unless}
 * conditions are judged against the destinations and the copy set, and judged again as it grows).
 * Source rpms provide nothing and their (build) requirements are not solved. This is a closure, not
 * an install transaction: conflicts, obsoletes and the weak dependencies other than
 * {@code Recommends} are ignored, and selecting two versions of one name brings both closures.
 * What cannot be satisfied is listed, never fatal.
 *
 * <p>Build once per copy (the index holds every package and is immutable); {@link #solve} may then
 * be called any number of times, also concurrently.
 */
public final class DependencySolver {

    /**
     * One package as primary metadata describes it. {@code key} is the caller's unique id for it;
     * the same key in several lists means the same package. Lists are used as given, not copied;
     * null lists are empty. {@code files} holds the package's file paths (primary.xml lists the
     * commonly required ones).
     */
    public record PackageInfo(String key, String name, String epoch, String version, String release, String arch,
            List<RpmDependency> provides, List<RpmDependency> requires, List<RpmDependency> recommends,
            List<String> files) {

        public PackageInfo {
            requireNonNull(key, "key");
            requireNonNull(name, "name");
            requireNonNull(version, "version");
            requireNonNull(arch, "arch");
            provides = provides == null ? List.of() : provides;
            requires = requires == null ? List.of() : requires;
            recommends = recommends == null ? List.of() : recommends;
            files = files == null ? List.of() : files;
        }
    }

    /**
     * @param dependencyUpgrade when only a destination satisfies a requirement and a source holds a
     *     newer package of that name which also satisfies it, bring the best such package (the
     *     provider preference above: architecture first, then the newest)
     * @param includeRecommends solve {@code Recommends} like requirements (those that cannot be
     *     satisfied are skipped, not listed: they are optional)
     */
    public record Options(boolean dependencyUpgrade, boolean includeRecommends) {
        public static final Options DEFAULT = new Options(false, false);
    }

    /**
     * A package added to {@code pair} because {@code dependentKey} requires {@code capability}: the
     * requirement as the dependent states it ({@code libfoo.so.1()(64bit)}, {@code bar >= 2.0}, or
     * a whole rich dependency).
     */
    public record Added(int pair, String key, String dependentKey, String capability) {
    }

    /** A requirement of a selected or added package that nothing satisfies, or that cannot be parsed. */
    public record Unresolved(String dependentKey, String requirement) {
    }

    /** Added packages sorted by pair then key; unresolved requirements sorted by dependent then text. */
    public record Solution(List<Added> added, List<Unresolved> unresolved) {
        public Solution {
            added = List.copyOf(added);
            unresolved = List.copyOf(unresolved);
        }
    }

    private final PackageIndex index;

    private DependencySolver(PackageIndex index) {
        this.index = index;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Solves the closure of a selection.
     *
     * @param selectedKeysPerPair per pair index, the keys selected from its source; a pair absent
     *     or with no keys selects nothing, but its source still supplies dependencies
     * @throws IllegalArgumentException for an unknown pair index, or a key not in that pair's source
     */
    public Solution solve(Map<Integer, ? extends Collection<String>> selectedKeysPerPair, Options options) {
        return new Closure(index, requireNonNull(options, "options")).solve(requireNonNull(selectedKeysPerPair, "selection"));
    }

    /**
     * Collects the pairs. Package lists shared by several pairs (one destination for many sources,
     * one source for many destinations) are indexed once: register them with {@link #packages} and
     * name them in {@link #pair(int, String, String)}, or pass the same collection instance to
     * {@link #pair(int, Collection, Collection)}.
     */
    public static final class Builder {
        private final Map<String, Collection<PackageInfo>> sets = new LinkedHashMap<>();
        private final Map<Collection<PackageInfo>, String> unnamed = new IdentityHashMap<>();
        private final TreeMap<Integer, String[]> pairs = new TreeMap<>();

        private Builder() {
        }

        /** Registers a package list (a repository version) under an id of the caller's choice. */
        public Builder packages(String setId, Collection<PackageInfo> packages) {
            requireNonNull(setId, "setId");
            requireNonNull(packages, "packages");
            if (sets.putIfAbsent(setId, packages) != null) {
                throw new IllegalArgumentException("package set '" + setId + "' registered twice");
            }
            return this;
        }

        /** Adds pair {@code index}: source and destination (at its base version) by set id. */
        public Builder pair(int index, String sourceSetId, String destinationSetId) {
            for (String id : List.of(sourceSetId, destinationSetId)) {
                if (!sets.containsKey(id)) {
                    throw new IllegalArgumentException("pair " + index + ": no package set '" + id + "'");
                }
            }
            if (pairs.putIfAbsent(index, new String[] {sourceSetId, destinationSetId}) != null) {
                throw new IllegalArgumentException("pair " + index + " given twice");
            }
            return this;
        }

        /** Adds pair {@code index}; the same collection instance given again is indexed once. */
        public Builder pair(int index, Collection<PackageInfo> source, Collection<PackageInfo> destination) {
            return pair(index, idOf(source), idOf(destination));
        }

        public DependencySolver build() {
            List<String> ids = new ArrayList<>(sets.keySet());
            int[] pairIndex = new int[pairs.size()];
            int[] sources = new int[pairs.size()];
            int[] destinations = new int[pairs.size()];
            int pos = 0;
            for (Map.Entry<Integer, String[]> pair : pairs.entrySet()) {
                pairIndex[pos] = pair.getKey();
                sources[pos] = ids.indexOf(pair.getValue()[0]);
                destinations[pos] = ids.indexOf(pair.getValue()[1]);
                pos++;
            }
            return new DependencySolver(new PackageIndex(new ArrayList<>(sets.values()), pairIndex, sources, destinations));
        }

        private String idOf(Collection<PackageInfo> packages) {
            requireNonNull(packages, "packages");
            return unnamed.computeIfAbsent(packages, p -> {
                // a NUL cannot clash with a caller's readable id
                String id = "\u0000" + unnamed.size();
                sets.put(id, p);
                return id;
            });
        }
    }
}
