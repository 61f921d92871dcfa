package io.airlock.plugin.rpm.copy;

import io.airlock.plugin.rpm.Modulemd;
import io.airlock.plugin.rpm.PackageCategory;
import io.airlock.plugin.rpm.PackageEnvironment;
import io.airlock.plugin.rpm.PackageGroup;
import io.airlock.plugin.rpm.RpmAdvisory;
import io.airlock.plugin.rpm.RpmPackage;
import io.airlock.plugin.rpm.solve.DependencySolver;
import io.airlock.plugin.rpm.solve.DependencySolver.PackageInfo;
import io.airlock.spi.Content;
import io.airlock.spi.copy.CopyOptions;
import io.airlock.spi.copy.CopyPair;
import io.airlock.spi.copy.CopyPlan;
import io.airlock.spi.copy.CopyPlan.Reason;
import io.airlock.spi.copy.CopyPolicy;
import io.airlock.spi.copy.CopyProblem;
import io.airlock.spi.copy.VersionContent;
import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.hibernate.Session;
import org.hibernate.SessionFactory;

/**
 * RPM's copy rules. Children come along whether or not dependencies are solved: an advisory brings
 * the packages its collections list (by NEVRA, when the source has them) and the module builds
 * they name; a category or environment brings its groups; a group brings the newest package of
 * each name it lists; a module build brings its artifacts, its defaults and the obsoletes of its
 * stream (those naming its context or none), and a package that is a module artifact brings that
 * module. With dependency solving, the {@link DependencySolver} closes the packages over their
 * requirements (file requirements matched against the complete file lists, see
 * {@link VersionData#packagesWithFiles}), and module builds bring the module streams they require
 * ({@link ModuleRequirements}); children of what these add are followed too, until nothing new
 * comes along. An entry that selects its source's whole version is planned from the version's data
 * alone: its units are never loaded.
 */
public final class RpmCopyPolicy implements CopyPolicy {

    /**
     * Repository versions never change, so what was read of one is kept while memory allows. Kept
     * per installation (its session factory, held weakly): two installations in one JVM share this
     * policy object while their repositories are unrelated.
     */
    private final Map<SessionFactory, Map<String, SoftReference<VersionData>>> cache =
            Collections.synchronizedMap(new WeakHashMap<>());

    @Override
    public CopyPlan plan(CopyProblem problem) {
        return new Planner(problem).plan();
    }

    private VersionData data(Session session, VersionContent version) {
        Map<String, SoftReference<VersionData>> installation =
                cache.computeIfAbsent(session.getSessionFactory(), factory -> new ConcurrentHashMap<>());
        String key = version.repository() + "@" + version.version();
        SoftReference<VersionData> cached = installation.get(key);
        VersionData data = cached == null ? null : cached.get();
        if (data == null) {
            data = VersionData.load(version);
            installation.put(key, new SoftReference<>(data));
        }
        return data;
    }

    private final class Planner {
        private final CopyProblem problem;
        private final List<CopyPair> pairs;
        private final List<VersionData> sources = new ArrayList<>();
        private final List<VersionData> destinations = new ArrayList<>();
        /** Per pair: every unit in the copy (selected or added) → why it was added (null: selected). */
        private final List<Map<UUID, Reason>> inCopy = new ArrayList<>();
        private final List<Map<UUID, String>> typeOf = new ArrayList<>();
        private final Deque<Item> pending = new ArrayDeque<>();
        /** Labels of the selected units (advisories have no entry in {@link VersionData}). */
        private final Map<UUID, String> selectedLabels = new HashMap<>();
        /** Per pair: whether it copies its source's whole version (then everything there is in the copy already). */
        private boolean[] whole;
        /** {@code TYPE:LABEL} of dependents, one string each however many requirements they list. */
        private final Map<String, String> dependentLabels = new HashMap<>();

        private record Item(int pair, UUID unit, String type) {
        }

        Planner(CopyProblem problem) {
            this.problem = problem;
            this.pairs = problem.pairs();
        }

        CopyPlan plan() {
            whole = new boolean[pairs.size()];
            for (CopyPair pair : pairs) {
                whole[sources.size()] = pair.wholeVersion();
                sources.add(data(problem.session(), pair.source()));
                destinations.add(data(problem.session(), pair.destination()));
                inCopy.add(new LinkedHashMap<>());
                typeOf.add(new HashMap<>());
            }
            Map<UUID, Integer> advisories = new LinkedHashMap<>();
            for (int i = 0; i < pairs.size(); i++) {
                if (whole[i]) {
                    continue; // every unit of the source is in the copy: the children of any are too
                }
                for (Content unit : pairs.get(i).selected()) {
                    inCopy.get(i).put(unit.id(), null);
                    selectedLabels.put(unit.id(), unit.label());
                    typeOf.get(i).put(unit.id(), unit.typeId());
                    if (unit instanceof RpmAdvisory) {
                        advisories.putIfAbsent(unit.id(), i);
                    } else {
                        pending.add(new Item(i, unit.id(), unit.typeId()));
                    }
                }
            }
            advisoryChildren(advisories);
            followChildren();
            List<CopyPlan.Unresolved> unresolved = new ArrayList<>();
            if (problem.options().dependencySolving()) {
                solve(unresolved);
            }
            return new CopyPlan(additions(), unresolved);
        }

        private String labelOf(int pair, UUID unit) {
            VersionData source = sources.get(pair);
            String label = source.packageLabel.get(unit);
            if (label == null) {
                label = source.labels.get(unit);
            }
            if (label == null) {
                label = selectedLabels.getOrDefault(unit, unit.toString());
            }
            return typeOf.get(pair).get(unit) + ":" + label;
        }

        /** Adds a unit to a pair's copy unless it is already there; queues it so its children follow. */
        private void add(int pair, UUID unit, String type, Reason reason) {
            if (whole[pair] || inCopy.get(pair).containsKey(unit)) {
                return;
            }
            inCopy.get(pair).put(unit, reason);
            typeOf.get(pair).put(unit, type);
            pending.add(new Item(pair, unit, type));
        }

        private void followChildren() {
            while (!pending.isEmpty()) {
                Item item = pending.poll();
                VersionData source = sources.get(item.pair());
                Reason reason = Reason.childOf(labelOf(item.pair(), item.unit()));
                switch (item.type()) {
                    case RpmPackage.TYPE -> {
                        String label = source.packageLabel.get(item.unit());
                        for (UUID module : source.modulesOfPackage.getOrDefault(label, List.of())) {
                            add(item.pair(), module, Modulemd.TYPE, reason);
                        }
                    }
                    case Modulemd.TYPE -> {
                        Modulemd module = source.modules.get(item.unit());
                        for (String artifact : module.artifacts()) {
                            UUID pkg = source.packageByLabel.get(VersionData.labelOfArtifact(artifact));
                            if (pkg != null) {
                                add(item.pair(), pkg, RpmPackage.TYPE, reason);
                            }
                        }
                        for (UUID defaults : source.defaultsOfModule.getOrDefault(module.name(), List.of())) {
                            add(item.pair(), defaults, io.airlock.plugin.rpm.ModulemdDefaults.TYPE, reason);
                        }
                        // The obsoletes of the build's own stream (and context): its end of life travels with it.
                        for (VersionData.Obsolete obsolete : source.obsoletesOfStream.getOrDefault(module.name() + ":" + module.stream(),
                                List.of())) {
                            if (obsolete.context() == null || obsolete.context().equals(module.context())) {
                                add(item.pair(), obsolete.id(), io.airlock.plugin.rpm.ModulemdObsolete.TYPE, reason);
                            }
                        }
                    }
                    case PackageGroup.TYPE -> {
                        for (String name : new TreeSet<>(source.groupPackages.getOrDefault(item.unit(), List.of()))) {
                            for (PackageInfo newest : source.newestByName.getOrDefault(name, List.of())) {
                                add(item.pair(), UUID.fromString(newest.key()), RpmPackage.TYPE, reason);
                            }
                        }
                    }
                    case PackageCategory.TYPE, PackageEnvironment.TYPE -> {
                        for (String group : source.groupLists.getOrDefault(item.unit(), List.of())) {
                            UUID id = source.groupByLabel.get(group);
                            if (id != null) {
                                add(item.pair(), id, PackageGroup.TYPE, reason);
                            }
                        }
                    }
                    default -> {
                    }
                }
            }
        }

        /** An advisory's packages (by NEVRA) and module builds, read in one query for all selected advisories. */
        private void advisoryChildren(Map<UUID, Integer> pairOf) {
            if (pairOf.isEmpty()) {
                return;
            }
            List<UUID> ids = new ArrayList<>(pairOf.keySet());
            for (int from = 0; from < ids.size(); from += 1000) {
                List<Object[]> rows = problem.session().createSelectionQuery(
                        "select c.advisory.id, c.advisory.advisoryId, c.moduleName, c.moduleStream, c.moduleVersion, c.moduleContext,"
                                + " c.moduleArch, p.name, p.epoch, p.version, p.release, p.arch"
                                + " from AdvisoryCollection c left join c.packages p where c.advisory.id in :ids"
                                + " order by c.advisory.id, c.position, p.position", Object[].class)
                        .setParameter("ids", ids.subList(from, Math.min(ids.size(), from + 1000))).getResultList();
                for (Object[] row : rows) {
                    int pair = pairOf.get((UUID) row[0]);
                    VersionData source = sources.get(pair);
                    Reason reason = Reason.childOf(RpmAdvisory.TYPE + ":" + row[1]);
                    if (row[2] != null) {
                        String module = row[2] + ":" + row[3] + ":" + row[4] + ":" + row[5] + ":" + row[6];
                        UUID id = source.moduleByLabel.get(module);
                        if (id != null) {
                            add(pair, id, Modulemd.TYPE, reason);
                        }
                    }
                    if (row[7] != null) {
                        String label = RpmPackage.nevra((String) row[7], (String) row[8], (String) row[9], (String) row[10],
                                (String) row[11]);
                        UUID id = source.packageByLabel.get(label);
                        if (id != null) {
                            add(pair, id, RpmPackage.TYPE, reason);
                        }
                    }
                }
            }
        }

        private void solve(List<CopyPlan.Unresolved> unresolved) {
            DependencySolver.Builder builder = DependencySolver.builder();
            Map<VersionData, String> setIds = new java.util.IdentityHashMap<>();
            Set<String> paths = pathsOnlyFileListsCanMeet();
            for (int i = 0; i < pairs.size(); i++) {
                String source = setId(builder, setIds, sources.get(i), paths);
                String destination = setId(builder, setIds, destinations.get(i), paths);
                builder.pair(i, source, destination);
            }
            DependencySolver solver = builder.build();
            CopyOptions options = problem.options();
            DependencySolver.Options solverOptions = new DependencySolver.Options(options.dependencyUpgrade(), options.includeRecommends());
            ModuleRequirements modules = new ModuleRequirements(sources, destinations, whole, inCopy);
            // A solution is closed over what it adds, but packages it adds may be module artifacts
            // whose modules bring packages (and require module streams that bring packages) it has
            // not seen: solve again until children bring none (each round only grows the copy, so
            // this ends).
            DependencySolver.Solution solution;
            Map<Integer, List<String>> selection = packageSelection();
            while (true) {
                solution = solver.solve(selection, solverOptions);
                Map<Integer, java.util.SortedSet<String>> solved = new TreeMap<>();
                selection.forEach((pair, keys) -> solved.put(pair, new TreeSet<>(keys)));
                for (DependencySolver.Added added : solution.added()) {
                    solved.get(added.pair()).add(added.key());
                    add(added.pair(), UUID.fromString(added.key()), RpmPackage.TYPE,
                            Reason.dependencyOf(dependentLabel(added.dependentKey()), added.capability()));
                }
                followChildren();
                for (ModuleRequirements.Brought brought : modules.resolve()) {
                    add(brought.pair(), brought.module(), Modulemd.TYPE, Reason.dependencyOf(brought.dependent(), brought.requirement()));
                }
                followChildren();
                selection = packageSelection();
                Map<Integer, List<String>> closed = new TreeMap<>();
                solved.forEach((pair, keys) -> closed.put(pair, List.copyOf(keys)));
                if (selection.equals(closed) && modules.allHandled()) {
                    break;
                }
            }
            for (DependencySolver.Unresolved u : solution.unresolved()) {
                unresolved.add(new CopyPlan.Unresolved(dependentLabel(u.dependentKey()), u.requirement()));
            }
            unresolved.addAll(modules.unresolved());
        }

        /**
         * The file requirements of the sources' packages that no primary file list (nor a provide
         * that is a path) of any source or destination meets: only these are looked up in the
         * complete file lists, so that those are never held whole.
         */
        private Set<String> pathsOnlyFileListsCanMeet() {
            Set<VersionData> involved = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            involved.addAll(sources);
            involved.addAll(destinations);
            Set<String> paths = new TreeSet<>();
            for (VersionData source : new java.util.LinkedHashSet<>(sources)) {
                for (String path : source.requiredPaths) {
                    if (involved.stream().noneMatch(data -> data.primaryPaths.contains(path))) {
                        paths.add(path);
                    }
                }
            }
            return paths;
        }

        /** Per pair, the keys of the packages in the copy so far, sorted. */
        private Map<Integer, List<String>> packageSelection() {
            Map<Integer, List<String>> selection = new TreeMap<>();
            for (int i = 0; i < pairs.size(); i++) {
                if (whole[i]) {
                    selection.put(i, sources.get(i).packages.stream().map(PackageInfo::key).sorted().toList());
                    continue;
                }
                selection.put(i, typeOf.get(i).entrySet().stream().filter(unit -> unit.getValue().equals(RpmPackage.TYPE))
                        .map(unit -> unit.getKey().toString()).sorted().toList());
            }
            return selection;
        }

        private String dependentLabel(String key) {
            return dependentLabels.computeIfAbsent(key, k -> {
                UUID id = UUID.fromString(k);
                for (VersionData source : sources) {
                    String label = source.packageLabel.get(id);
                    if (label != null) {
                        return RpmPackage.TYPE + ":" + label;
                    }
                }
                return RpmPackage.TYPE + ":" + k;
            });
        }

        private String setId(DependencySolver.Builder builder, Map<VersionData, String> ids, VersionData data, Set<String> paths) {
            String id = ids.get(data);
            if (id == null) {
                id = "set" + ids.size();
                ids.put(data, id);
                builder.packages(id, data.packagesWithFiles(problem.session(), paths));
            }
            return id;
        }

        /** Every unit added beyond the selection, loaded in bulk, with its reason. */
        private List<CopyPlan.Addition> additions() {
            Set<UUID> ids = new java.util.HashSet<>();
            for (Map<UUID, Reason> pair : inCopy) {
                pair.forEach((id, reason) -> {
                    if (reason != null) {
                        ids.add(id);
                    }
                });
            }
            Map<UUID, Content> units = load(ids);
            List<CopyPlan.Addition> additions = new ArrayList<>();
            for (int i = 0; i < inCopy.size(); i++) {
                for (Map.Entry<UUID, Reason> unit : inCopy.get(i).entrySet()) {
                    if (unit.getValue() != null) {
                        additions.add(new CopyPlan.Addition(pairs.get(i).index(), units.get(unit.getKey()), unit.getValue()));
                    }
                }
            }
            return additions;
        }

        private Map<UUID, Content> load(Collection<UUID> ids) {
            List<UUID> list = new ArrayList<>(ids);
            Map<UUID, Content> units = new HashMap<>();
            for (int from = 0; from < list.size(); from += 1000) {
                for (Content unit : problem.session().createSelectionQuery("from Content where id in :ids", Content.class)
                        .setParameter("ids", list.subList(from, Math.min(list.size(), from + 1000))).getResultList()) {
                    units.put(unit.id(), unit);
                }
            }
            return units;
        }
    }
}
