package io.airlock.plugin.rpm.solve;

import io.airlock.plugin.rpm.RpmDependency;
import io.airlock.plugin.rpm.solve.DependencySolver.PackageInfo;
import io.airlock.plugin.rpm.solve.RpmVersions.Evr;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every package of every source and destination, once, with the lookups the closure needs, built
 * once per solver. Packages are numbered in key order, so that anything decided by number is
 * independent of the order the caller listed them in. Capabilities (provides, the implicit
 * {@code name = EVR} self-provide, and file paths, which rpm matches like unversioned provides) sit
 * in one array per field, grouped by interned name, instead of one object per entry.
 */
final class PackageIndex {

    final PackageInfo[] packages;
    final Evr[] evr;
    final int[] nameId;
    final int[] archId;
    /** Dense pair positions whose source holds the package, ascending; empty when none. */
    final int[][] sourcePairs;
    final boolean[] inDestination;
    final boolean[] isSourceRpm;
    final String[] archNames;
    final int noarch;
    /** The caller's pair index per dense position, ascending. */
    final int[] pairIndex;
    /** Per pair position: the most common architecture of its source (noarch aside), -1 if none. */
    final int[] dominantArch;

    private final Map<String, Integer> keys;
    private final Map<String, Integer> names;
    // capability entries of name id n are [capStart[n], capStart[n + 1])
    private final int[] capStart;
    private final int[] capPackage;
    private final byte[] capSense;
    private final Evr[] capEvr;
    // packages named n are byName[byNameStart[n] .. byNameStart[n + 1])
    private final int[] byNameStart;
    private final int[] byName;

    /**
     * @param sets package lists, each listed once however many pairs use it
     * @param sources per dense pair position, the index in {@code sets} of its source
     * @param destinations per dense pair position, the index in {@code sets} of its destination
     */
    PackageIndex(List<? extends Collection<PackageInfo>> sets, int[] pairIndex, int[] sources, int[] destinations) {
        this.pairIndex = pairIndex;
        Map<String, PackageInfo> unique = new HashMap<>();
        for (Collection<PackageInfo> set : sets) {
            for (PackageInfo p : set) {
                PackageInfo known = unique.putIfAbsent(p.key(), p);
                if (known != null && known != p && !sameNevra(known, p)) {
                    throw new IllegalArgumentException("package key '" + p.key() + "' names two different packages: "
                            + nevra(known) + " and " + nevra(p));
                }
            }
        }
        packages = unique.values().toArray(PackageInfo[]::new);
        Arrays.sort(packages, Comparator.comparing(PackageInfo::key));
        int count = packages.length;
        keys = new HashMap<>(count * 2);
        for (int i = 0; i < count; i++) {
            keys.put(packages[i].key(), i);
        }

        Map<String, Integer> arches = new HashMap<>();
        List<String> archList = new ArrayList<>();
        evr = new Evr[count];
        archId = new int[count];
        isSourceRpm = new boolean[count];
        Map<Evr, Evr> evrs = new HashMap<>();
        for (int i = 0; i < count; i++) {
            PackageInfo p = packages[i];
            try {
                evr[i] = canonical(evrs, Evr.of(p.epoch(), p.version(), p.release()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("package " + p.key() + ": " + e.getMessage(), e);
            }
            archId[i] = arches.computeIfAbsent(p.arch(), a -> {
                archList.add(a);
                return archList.size() - 1;
            });
            isSourceRpm[i] = p.arch().equals("src") || p.arch().equals("nosrc");
        }
        archNames = archList.toArray(String[]::new);
        noarch = arches.getOrDefault("noarch", -1);

        int pairs = pairIndex.length;
        int[][] setMembers = new int[sets.size()][];
        for (int s = 0; s < sets.size(); s++) {
            setMembers[s] = sets.get(s).stream().mapToInt(p -> keys.get(p.key())).distinct().sorted().toArray();
        }
        int[] sourceCount = new int[count];
        for (int pair = 0; pair < pairs; pair++) {
            for (int pkg : setMembers[sources[pair]]) {
                sourceCount[pkg]++;
            }
        }
        sourcePairs = new int[count][];
        int[] empty = new int[0];
        for (int i = 0; i < count; i++) {
            sourcePairs[i] = sourceCount[i] == 0 ? empty : new int[sourceCount[i]];
            sourceCount[i] = 0;
        }
        for (int pair = 0; pair < pairs; pair++) {
            for (int pkg : setMembers[sources[pair]]) {
                sourcePairs[pkg][sourceCount[pkg]++] = pair;
            }
        }
        inDestination = new boolean[count];
        for (int pair = 0; pair < pairs; pair++) {
            for (int pkg : setMembers[destinations[pair]]) {
                inDestination[pkg] = true;
            }
        }
        dominantArch = new int[pairs];
        for (int pair = 0; pair < pairs; pair++) {
            dominantArch[pair] = dominant(setMembers[sources[pair]]);
        }

        // Intern every name first (package names, provides, files), counting entries per name.
        names = new HashMap<>(count * 8);
        int[] nameCounts = new int[count * 8 + 16];
        nameId = new int[count];
        int entries = 0;
        for (int i = 0; i < count; i++) {
            PackageInfo p = packages[i];
            nameId[i] = intern(p.name());
            nameCounts = grow(nameCounts, nameId[i]);
            if (isSourceRpm[i]) {
                continue; // a source rpm provides nothing to install
            }
            int self = nameId[i];
            nameCounts[self]++;
            entries++;
            for (RpmDependency d : p.provides()) {
                int n = intern(d.name());
                nameCounts = grow(nameCounts, n);
                nameCounts[n]++;
                entries++;
            }
            for (String file : p.files()) {
                int n = intern(file);
                nameCounts = grow(nameCounts, n);
                nameCounts[n]++;
                entries++;
            }
        }
        int nameTotal = names.size();
        capStart = new int[nameTotal + 1];
        for (int n = 0; n < nameTotal; n++) {
            capStart[n + 1] = capStart[n] + nameCounts[n];
        }
        capPackage = new int[entries];
        capSense = new byte[entries];
        capEvr = new Evr[entries];
        int[] fill = Arrays.copyOf(capStart, nameTotal);
        for (int i = 0; i < count; i++) {
            if (isSourceRpm[i]) {
                continue;
            }
            PackageInfo p = packages[i];
            // rpm packages provide their own name = EVR; metadata usually lists it, but not always.
            put(fill, nameId[i], i, RpmVersions.EQUAL, evr[i]);
            for (RpmDependency d : p.provides()) {
                Evr e;
                try {
                    e = RpmVersions.evr(d);
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException("package " + p.key() + ": provide " + d + ": " + ex.getMessage(), ex);
                }
                put(fill, names.get(d.name()), i, RpmVersions.sense(d.flags()), e == null ? null : canonical(evrs, e));
            }
            for (String file : p.files()) {
                put(fill, names.get(file), i, 0, null);
            }
        }

        int[] perName = new int[nameTotal + 1];
        for (int i = 0; i < count; i++) {
            perName[nameId[i] + 1]++;
        }
        for (int n = 0; n < nameTotal; n++) {
            perName[n + 1] += perName[n];
        }
        byNameStart = perName.clone();
        byName = new int[count];
        for (int i = 0; i < count; i++) {
            byName[perName[nameId[i]]++] = i;
        }
    }

    int size() {
        return packages.length;
    }

    /** The package number of a key, -1 if unknown. */
    int packageOf(String key) {
        Integer i = keys.get(key);
        return i == null ? -1 : i;
    }

    boolean inSource(int pkg, int pair) {
        return Arrays.binarySearch(sourcePairs[pkg], pair) >= 0;
    }

    /**
     * The packages whose provides or files match a requirement, ascending, possibly repeated (a
     * package may provide a name twice).
     */
    int[] providers(String name, int sense, Evr required) {
        Integer n = names.get(name);
        if (n == null) {
            return new int[0];
        }
        int from = capStart[n];
        int to = capStart[n + 1];
        int[] found = new int[to - from];
        int size = 0;
        for (int e = from; e < to; e++) {
            if (RpmVersions.overlap(sense, required, capSense[e], capEvr[e])) {
                found[size++] = capPackage[e];
            }
        }
        return size == found.length ? found : Arrays.copyOf(found, size);
    }

    /** The packages of a name, ascending. */
    int[] named(int nameOfPackage) {
        return Arrays.copyOfRange(byName, byNameStart[nameOfPackage], byNameStart[nameOfPackage + 1]);
    }

    private void put(int[] fill, int name, int pkg, int sense, Evr e) {
        int at = fill[name]++;
        capPackage[at] = pkg;
        capSense[at] = (byte) sense;
        capEvr[at] = e;
    }

    private int intern(String name) {
        Integer id = names.get(name);
        if (id == null) {
            id = names.size();
            names.put(name, id);
        }
        return id;
    }

    private static int[] grow(int[] counts, int index) {
        return index < counts.length ? counts : Arrays.copyOf(counts, Math.max(index + 1, counts.length * 2));
    }

    private int dominant(int[] members) {
        int[] perArch = new int[archNames.length];
        for (int pkg : members) {
            if (archId[pkg] != noarch && !isSourceRpm[pkg]) {
                perArch[archId[pkg]]++;
            }
        }
        int best = -1;
        for (int a = 0; a < perArch.length; a++) {
            if (perArch[a] > 0 && (best < 0 || perArch[a] > perArch[best]
                    || (perArch[a] == perArch[best] && archNames[a].compareTo(archNames[best]) < 0))) {
                best = a;
            }
        }
        return best;
    }

    private static Evr canonical(Map<Evr, Evr> evrs, Evr e) {
        // Packages and their provides repeat the same EVRs; keep one object of each.
        return evrs.computeIfAbsent(e, x -> x);
    }

    private static boolean sameNevra(PackageInfo a, PackageInfo b) {
        return nevra(a).equals(nevra(b));
    }

    /** {@code name-[E:]V-R.arch}, for messages. */
    static String nevra(PackageInfo p) {
        String epoch = p.epoch() == null || p.epoch().isEmpty() || p.epoch().equals("0") ? "" : p.epoch() + ":";
        return p.name() + "-" + epoch + p.version() + (p.release() == null ? "" : "-" + p.release()) + "." + p.arch();
    }
}
