package io.airlock.plugin.rpm.solve;

import io.airlock.plugin.rpm.RpmDependency;
import io.airlock.plugin.rpm.solve.DependencySolver.Added;
import io.airlock.plugin.rpm.solve.DependencySolver.Options;
import io.airlock.plugin.rpm.solve.DependencySolver.Solution;
import io.airlock.plugin.rpm.solve.DependencySolver.Unresolved;
import io.airlock.plugin.rpm.solve.RichDependency.And;
import io.airlock.plugin.rpm.solve.RichDependency.Capability;
import io.airlock.plugin.rpm.solve.RichDependency.If;
import io.airlock.plugin.rpm.solve.RichDependency.Node;
import io.airlock.plugin.rpm.solve.RichDependency.Or;
import io.airlock.plugin.rpm.solve.RichDependency.Unless;
import io.airlock.plugin.rpm.solve.RichDependency.With;
import io.airlock.plugin.rpm.solve.RichDependency.Without;
import io.airlock.plugin.rpm.solve.RpmVersions.Evr;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One solve: the copy set grows from the selection, breadth first, each package's requirements in
 * a fixed order (by name, then flags and version), so that the same selection always gives the
 * same result.
 */
final class Closure {


    private final PackageIndex ix;
    private final Options options;
    private final boolean[] inCopy;
    /** The pair position a package of the copy set goes to. */
    private final int[] copyPair;
    /** The architecture the requirements of a copy-set package should prefer, -1 for none. */
    private final int[] wantedArch;
    /** Chosen by the requirement being evaluated but not yet added (undone when an alternative fails). */
    private final boolean[] planned;
    private int[] plan = new int[16];
    private int planSize;
    private final ArrayDeque<Integer> queue = new ArrayDeque<>();
    private final List<Added> added = new ArrayList<>();
    private final Set<Unresolved> unresolved = new HashSet<>();
    /**
     * Requirements with if/unless by the capability names of their conditions: a package providing
     * one of those names joining the copy may change the outcome, so it wakes them up.
     */
    private final Map<String, List<Requirement>> watchers = new HashMap<>();
    /** Woken requirements, evaluated again once the queue is empty, in the order they were met. */
    private final TreeMap<Integer, Requirement> woken = new TreeMap<>();
    private int conditionals;
    /** The package whose requirement is being evaluated. */
    private int dependent;
    /** Rich dependencies parsed so far: many packages carry the same ones. */
    private final Map<String, Node> parsed = new HashMap<>();

    private static final class Requirement {
        final int dependent;
        final Node node;
        final RpmDependency dependency;
        final boolean strong;
        int sequence = -1; // set when conditional

        Requirement(int dependent, Node node, RpmDependency dependency, boolean strong) {
            this.dependent = dependent;
            this.node = node;
            this.dependency = dependency;
            this.strong = strong;
        }

        String text() {
            return dependency.toString();
        }
    }

    Closure(PackageIndex ix, Options options) {
        this.ix = ix;
        this.options = options;
        int n = ix.size();
        inCopy = new boolean[n];
        copyPair = new int[n];
        wantedArch = new int[n];
        planned = new boolean[n];
    }

    Solution solve(Map<Integer, ? extends Collection<String>> selection) {
        for (Integer pairIndex : selection.keySet()) {
            if (Arrays.binarySearch(ix.pairIndex, pairIndex) < 0) {
                throw new IllegalArgumentException("no pair " + pairIndex);
            }
        }
        // Mark the whole selection first: selected packages satisfy each other whatever the order.
        for (int pos = 0; pos < ix.pairIndex.length; pos++) {
            Collection<String> keys = selection.get(ix.pairIndex[pos]);
            if (keys == null) {
                continue;
            }
            int[] selected = new int[keys.size()];
            int i = 0;
            for (String key : keys) {
                int pkg = ix.packageOf(key);
                if (pkg < 0 || !ix.inSource(pkg, pos)) {
                    throw new IllegalArgumentException("package '" + key + "' is not in the source of pair " + ix.pairIndex[pos]);
                }
                selected[i++] = pkg;
            }
            Arrays.sort(selected);
            for (int pkg : selected) {
                if (!inCopy[pkg]) {
                    inCopy[pkg] = true;
                    copyPair[pkg] = pos;
                    wantedArch[pkg] = ix.archId[pkg] == ix.noarch ? ix.dominantArch[pos] : ix.archId[pkg];
                    queue.add(pkg);
                }
            }
        }
        long steps = 0;
        do {
            while (!queue.isEmpty()) {
                process(queue.poll());
                if (++steps % 1024 == 0) {
                    io.airlock.spi.Cancellation.check("copy"); // a closure of a large distribution takes seconds
                }
            }
            while (queue.isEmpty() && !woken.isEmpty()) {
                evaluate(woken.pollFirstEntry().getValue());
            }
        } while (!queue.isEmpty());
        return solution();
    }

    private void process(int pkg) {
        if (ix.isSourceRpm[pkg]) {
            return; // a source rpm's requirements are build requirements, not what it needs installed
        }
        DependencySolver.PackageInfo p = ix.packages[pkg];
        handleAll(pkg, p.requires(), true);
        if (options.includeRecommends()) {
            handleAll(pkg, p.recommends(), false);
        }
    }

    private void handleAll(int pkg, List<RpmDependency> dependencies, boolean strong) {
        if (dependencies.isEmpty()) {
            return;
        }
        // The metadata's order must not matter: choices made for one requirement can satisfy the next.
        RpmDependency[] sorted = dependencies.toArray(RpmDependency[]::new);
        Arrays.sort(sorted, Closure::order);
        for (RpmDependency d : sorted) {
            handle(pkg, d, strong);
        }
    }

    private void handle(int pkg, RpmDependency d, boolean strong) {
        if (isRpmlib(d.name())) {
            return;
        }
        Node node;
        try {
            node = d.name().startsWith("(")
                    ? parsed.computeIfAbsent(d.name(), RichDependency::parse)
                    : new Capability(d.name(), RpmVersions.sense(d.flags()), RpmVersions.evr(d));
        } catch (IllegalArgumentException e) {
            if (strong) {
                unresolved.add(new Unresolved(ix.packages[pkg].key(), d.toString()));
            }
            return;
        }
        Requirement requirement = new Requirement(pkg, node, d, strong);
        if (RichDependency.isConditional(node)) {
            requirement.sequence = conditionals++;
            watchConditions(node, requirement, false);
        }
        evaluate(requirement);
    }

    private void watchConditions(Node node, Requirement r, boolean inCondition) {
        if (node instanceof Capability c) {
            if (inCondition) {
                watchers.computeIfAbsent(c.name(), n -> new ArrayList<>()).add(r);
            }
        } else if (node instanceof If i) {
            watchConditions(i.then(), r, inCondition);
            watchConditions(i.condition(), r, true);
            if (i.otherwise() != null) {
                watchConditions(i.otherwise(), r, inCondition);
            }
        } else if (node instanceof Unless u) {
            watchConditions(u.then(), r, inCondition);
            watchConditions(u.condition(), r, true);
            if (u.otherwise() != null) {
                watchConditions(u.otherwise(), r, inCondition);
            }
        } else if (node instanceof And and) {
            and.operands().forEach(o -> watchConditions(o, r, inCondition));
        } else if (node instanceof Or or) {
            or.operands().forEach(o -> watchConditions(o, r, inCondition));
        } else if (node instanceof With with) {
            with.operands().forEach(o -> watchConditions(o, r, inCondition));
        } else if (node instanceof Without without) {
            watchConditions(without.left(), r, inCondition);
            watchConditions(without.right(), r, inCondition);
        }
    }

    /** Wakes the conditional requirements whose conditions name something the package provides. */
    private void wake(int pkg) {
        if (watchers.isEmpty()) {
            return;
        }
        DependencySolver.PackageInfo p = ix.packages[pkg];
        wake(p.name());
        for (RpmDependency d : p.provides()) {
            wake(d.name());
        }
        for (String file : p.files()) {
            wake(file);
        }
    }

    private void wake(String name) {
        List<Requirement> waiting = watchers.get(name);
        if (waiting != null) {
            for (Requirement r : waiting) {
                woken.put(r.sequence, r);
            }
        }
    }

    /** By name, then flags, epoch, version, release, pre (nulls first). */
    private static int order(RpmDependency a, RpmDependency b) {
        int c = a.name().compareTo(b.name());
        if (c == 0) {
            c = compareNullable(a.flags(), b.flags());
        }
        if (c == 0) {
            c = compareNullable(a.epoch(), b.epoch());
        }
        if (c == 0) {
            c = compareNullable(a.version(), b.version());
        }
        if (c == 0) {
            c = compareNullable(a.release(), b.release());
        }
        return c != 0 ? c : Boolean.compare(a.pre(), b.pre());
    }

    private static int compareNullable(String a, String b) {
        return a == null ? (b == null ? 0 : -1) : b == null ? 1 : a.compareTo(b);
    }

    /** Evaluates a requirement, adding what it needs. */
    private void evaluate(Requirement r) {
        dependent = r.dependent;
        if (resolve(r.node)) {
            if (r.sequence >= 0) {
                // a condition may have changed since an earlier evaluation found it unsatisfiable
                unresolved.remove(new Unresolved(ix.packages[r.dependent].key(), r.text()));
            }
            apply(r);
            return;
        }
        rollback(0);
        if (r.strong) {
            unresolved.add(new Unresolved(ix.packages[r.dependent].key(), r.text()));
        }
    }

    /** Whether the term can be satisfied; the packages it needs are pushed on the plan. */
    private boolean resolve(Node node) {
        if (node instanceof Capability c) {
            return resolveCapability(c);
        }
        if (node instanceof And and) {
            for (Node operand : and.operands()) {
                if (!resolve(operand)) {
                    return false;
                }
            }
            return true;
        }
        if (node instanceof Or or) {
            for (Node operand : or.operands()) {
                if (present(operand)) {
                    return resolve(operand); // already satisfied: adds nothing (but an upgrade)
                }
            }
            for (Node operand : or.operands()) {
                int mark = planSize;
                if (resolve(operand)) {
                    return true;
                }
                rollback(mark);
            }
            return false;
        }
        if (node instanceof If i) {
            return present(i.condition()) ? resolve(i.then()) : i.otherwise() == null || resolve(i.otherwise());
        }
        if (node instanceof Unless u) {
            return !present(u.condition()) ? resolve(u.then()) : u.otherwise() == null || resolve(u.otherwise());
        }
        int[] candidates = matching(node);
        for (int pkg : candidates) {
            if (isPresent(pkg)) {
                return true;
            }
        }
        int best = best(candidates);
        if (best < 0) {
            return false;
        }
        pick(best);
        return true;
    }

    private boolean resolveCapability(Capability c) {
        if (isRpmlib(c.name())) {
            return true;
        }
        int[] providers = ix.providers(c.name(), c.sense(), c.evr());
        boolean inDestination = false;
        for (int pkg : providers) {
            if (inCopy[pkg] || planned[pkg]) {
                return true;
            }
            inDestination |= ix.inDestination[pkg];
        }
        if (inDestination) {
            if (options.dependencyUpgrade()) {
                int upgrade = upgrade(providers);
                if (upgrade >= 0) {
                    pick(upgrade);
                }
            }
            return true;
        }
        int best = best(providers);
        if (best < 0) {
            return false;
        }
        pick(best);
        return true;
    }

    /** The best source provider newer than every destination provider of its name, -1 if none. */
    private int upgrade(int[] providers) {
        int[] newer = new int[providers.length];
        int size = 0;
        for (int candidate : providers) {
            if (ix.inDestination[candidate]) {
                continue;
            }
            boolean sameNameInDestination = false;
            boolean newest = true;
            for (int installed : providers) {
                if (ix.inDestination[installed] && ix.nameId[installed] == ix.nameId[candidate]) {
                    sameNameInDestination = true;
                    newest &= RpmVersions.compare(ix.evr[candidate], ix.evr[installed]) > 0;
                }
            }
            if (sameNameInDestination && newest) {
                newer[size++] = candidate;
            }
        }
        return best(Arrays.copyOf(newer, size));
    }

    /** Whether the term holds for the destinations and the copy set (planned packages included). */
    private boolean present(Node node) {
        if (node instanceof Capability c) {
            if (isRpmlib(c.name())) {
                return true;
            }
            for (int pkg : ix.providers(c.name(), c.sense(), c.evr())) {
                if (isPresent(pkg)) {
                    return true;
                }
            }
            return false;
        }
        if (node instanceof And and) {
            return and.operands().stream().allMatch(this::present);
        }
        if (node instanceof Or or) {
            return or.operands().stream().anyMatch(this::present);
        }
        if (node instanceof If i) {
            return present(i.condition()) ? present(i.then()) : i.otherwise() == null || present(i.otherwise());
        }
        if (node instanceof Unless u) {
            return !present(u.condition()) ? present(u.then()) : u.otherwise() == null || present(u.otherwise());
        }
        for (int pkg : matching(node)) {
            if (isPresent(pkg)) {
                return true;
            }
        }
        return false;
    }

    /** The packages matching a with/without term (or a capability, or an or of those): ascending, distinct. */
    private int[] matching(Node node) {
        if (node instanceof Capability c) {
            return distinct(ix.providers(c.name(), c.sense(), c.evr()));
        }
        if (node instanceof With with) {
            int[] result = matching(with.operands().get(0));
            for (Node operand : with.operands().subList(1, with.operands().size())) {
                int[] other = matching(operand);
                result = Arrays.stream(result).filter(p -> Arrays.binarySearch(other, p) >= 0).toArray();
            }
            return result;
        }
        if (node instanceof Without without) {
            int[] excluded = matching(without.right());
            return Arrays.stream(matching(without.left())).filter(p -> Arrays.binarySearch(excluded, p) < 0).toArray();
        }
        if (node instanceof Or or) {
            return distinct(or.operands().stream().flatMapToInt(o -> Arrays.stream(matching(o))).toArray());
        }
        throw new IllegalStateException("not a single-package term: " + node); // the parser refuses these
    }

    private boolean isPresent(int pkg) {
        return ix.inDestination[pkg] || inCopy[pkg] || planned[pkg];
    }

    /** The best source package among candidates for the current dependent, -1 if none. */
    private int best(int[] candidates) {
        int best = -1;
        for (int pkg : candidates) {
            if (ix.sourcePairs[pkg].length == 0 || ix.isSourceRpm[pkg]) {
                continue;
            }
            if (best < 0 || better(pkg, best)) {
                best = pkg;
            }
        }
        return best;
    }

    private boolean better(int a, int b) {
        int c = Integer.compare(archClass(a), archClass(b));
        if (c == 0) {
            c = -RpmVersions.compare(ix.evr[a], ix.evr[b]);
        }
        DependencySolver.PackageInfo pa = ix.packages[a];
        DependencySolver.PackageInfo pb = ix.packages[b];
        if (c == 0) {
            c = pa.name().compareTo(pb.name());
        }
        if (c == 0) {
            c = compareText(ix.evr[a], ix.evr[b]);
        }
        if (c == 0) {
            c = pa.arch().compareTo(pb.arch());
        }
        if (c == 0) {
            c = Integer.compare(pairRank(a), pairRank(b));
        }
        return c < 0 || (c == 0 && a < b); // package numbers follow keys
    }

    /** 0 for the dependent's wanted architecture or noarch (or when it wants none), 1 otherwise. */
    private int archClass(int pkg) {
        int wanted = wantedArch[dependent];
        int arch = ix.archId[pkg];
        return wanted < 0 || arch == wanted || arch == ix.noarch ? 0 : 1;
    }

    /** 0 when the dependent's own source holds the package, else 1 + the lowest pair position. */
    private int pairRank(int pkg) {
        int own = copyPair[dependent];
        return ix.inSource(pkg, own) ? 0 : 1 + ix.sourcePairs[pkg][0];
    }

    private static int compareText(Evr a, Evr b) {
        int c = Long.compare(a.epoch(), b.epoch());
        if (c == 0) {
            c = a.version().compareTo(b.version());
        }
        if (c == 0) {
            c = a.release() == null ? (b.release() == null ? 0 : -1) : b.release() == null ? 1 : a.release().compareTo(b.release());
        }
        return c;
    }

    private void pick(int pkg) {
        if (planSize == plan.length) {
            plan = Arrays.copyOf(plan, planSize * 2);
        }
        plan[planSize++] = pkg;
        planned[pkg] = true;
    }

    private void rollback(int mark) {
        while (planSize > mark) {
            planned[plan[--planSize]] = false;
        }
    }

    /** Adds the planned packages to the copy set. */
    private void apply(Requirement r) {
        int dependentPair = copyPair[r.dependent];
        for (int i = 0; i < planSize; i++) {
            int pkg = plan[i];
            planned[pkg] = false;
            if (inCopy[pkg]) {
                continue;
            }
            int pos = ix.inSource(pkg, dependentPair) ? dependentPair : ix.sourcePairs[pkg][0];
            inCopy[pkg] = true;
            copyPair[pkg] = pos;
            // A noarch package carries on the preference of whatever brought it in.
            wantedArch[pkg] = ix.archId[pkg] == ix.noarch ? wantedArch[r.dependent] : ix.archId[pkg];
            queue.add(pkg);
            added.add(new Added(ix.pairIndex[pos], ix.packages[pkg].key(), ix.packages[r.dependent].key(), r.text()));
            wake(pkg);
        }
        planSize = 0;
    }

    private Solution solution() {
        List<Added> a = new ArrayList<>(added);
        a.sort(Comparator.comparingInt(Added::pair).thenComparing(Added::key));
        List<Unresolved> u = new ArrayList<>(unresolved);
        u.sort(Comparator.comparing(Unresolved::dependentKey).thenComparing(Unresolved::requirement));
        return new Solution(a, u);
    }

    private static boolean isRpmlib(String name) {
        return name.startsWith("rpmlib(");
    }

    private static int[] distinct(int[] packages) {
        int[] copy = packages.clone();
        Arrays.sort(copy);
        return Arrays.stream(copy).distinct().toArray();
    }
}
