package io.airlock.plugin.rpm.copy;

import io.airlock.plugin.rpm.Modulemd;
import io.airlock.plugin.rpm.solve.RpmVersions;
import io.airlock.spi.copy.CopyPlan;
import io.airlock.spi.copy.CopyPlan.Reason;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The module streams the module builds of a copy require ({@code dependencies: - requires:} of
 * modulemd v2), brought along like the packages a package requires.
 *
 * <p>A requirement names a module and a list of streams: empty for any stream, {@code -S} to
 * exclude stream S. It is met when a destination or the copy (any pair) holds a build of that
 * module in a matching stream. Otherwise the sources are searched, the dependent's own pair first,
 * then the others in order: among the builds of a matching stream and a compatible architecture
 * (the same, or either noarch), the stream the source's defaults name, else the highest stream
 * (rpm version order, then text); of that stream the builds of the highest version (every context)
 * are brought. Their artifacts and defaults then come as children, and their own requirements are
 * met in turn. Several {@code dependencies} entries are alternatives: one already met wins, else
 * the first that can be met, else the first, with what cannot be met listed as unresolved.
 * {@code platform} is the installing system itself, not a module of any repository: a requirement
 * on it is met unless some source or destination does hold a build of that name.
 */
final class ModuleRequirements {

    /** A module build brought to {@code pair} because {@code dependent} ({@code TYPE:LABEL}) requires {@code requirement}. */
    record Brought(int pair, UUID module, String dependent, String requirement) {
    }

    private record Requirement(String module, List<String> streams) {
        boolean matches(String stream) {
            boolean anyPositive = false;
            boolean listed = false;
            for (String s : streams) {
                if (s.startsWith("-")) {
                    if (s.substring(1).equals(stream)) {
                        return false;
                    }
                } else {
                    anyPositive = true;
                    listed |= s.equals(stream);
                }
            }
            return !anyPositive || listed;
        }

        /** {@code module(NAME)} for any stream, else {@code module(NAME:S1,S2)} with exclusions as {@code -S}. */
        String text() {
            return "module(" + module + (streams.isEmpty() ? "" : ":" + String.join(",", streams)) + ")";
        }
    }

    private final List<VersionData> sources;
    private final List<VersionData> destinations;
    private final boolean[] whole;
    private final List<Map<UUID, Reason>> inCopy;
    /** Per pair: module builds whose requirements were handled. */
    private final List<Set<UUID>> handled = new ArrayList<>();
    /** Per pair: module builds brought here and not yet seen by the caller's copy. */
    private final List<Set<UUID>> brought = new ArrayList<>();
    private final Set<CopyPlan.Unresolved> unresolved = new java.util.LinkedHashSet<>();

    ModuleRequirements(List<VersionData> sources, List<VersionData> destinations, boolean[] whole,
            List<Map<UUID, Reason>> inCopy) {
        this.sources = sources;
        this.destinations = destinations;
        this.whole = whole;
        this.inCopy = inCopy;
        for (int i = 0; i < sources.size(); i++) {
            handled.add(new HashSet<>());
            brought.add(new HashSet<>());
        }
    }

    /**
     * Handles the requirements of every module build in the copy not handled before, and of what
     * that brings, transitively; returns the builds to add, in the order they were chosen.
     */
    List<Brought> resolve() {
        List<Brought> result = new ArrayList<>();
        Deque<Object[]> queue = new ArrayDeque<>();
        for (int pair = 0; pair < sources.size(); pair++) {
            for (Modulemd module : modulesInCopy(pair)) {
                if (!handled.get(pair).contains(module.id())) {
                    queue.add(new Object[] {pair, module});
                }
            }
        }
        while (!queue.isEmpty()) {
            Object[] item = queue.poll();
            int pair = (Integer) item[0];
            Modulemd module = (Modulemd) item[1];
            if (!handled.get(pair).add(module.id())) {
                continue;
            }
            for (Brought b : handle(pair, module)) {
                if (brought.get(b.pair()).add(b.module()) && !inCopy(b.pair(), b.module())) {
                    result.add(b);
                    queue.add(new Object[] {b.pair(), sources.get(b.pair()).modules.get(b.module())});
                }
            }
        }
        return result;
    }

    /** Whether every module build in the copy has had its requirements handled. */
    boolean allHandled() {
        for (int pair = 0; pair < sources.size(); pair++) {
            for (Modulemd module : modulesInCopy(pair)) {
                if (!handled.get(pair).contains(module.id())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The requirements that no destination, copy or source meets, in the order they were met. */
    List<CopyPlan.Unresolved> unresolved() {
        return List.copyOf(unresolved);
    }

    private List<Brought> handle(int pair, Modulemd module) {
        List<List<Requirement>> alternatives = alternatives(module);
        if (alternatives.isEmpty()) {
            return List.of();
        }
        for (List<Requirement> alternative : alternatives) {
            if (alternative.stream().allMatch(r -> present(r))) {
                return List.of();
            }
        }
        List<Requirement> chosen = alternatives.get(0);
        for (List<Requirement> alternative : alternatives) {
            if (alternative.stream().allMatch(r -> present(r) || !providers(pair, module, r).isEmpty())) {
                chosen = alternative;
                break;
            }
        }
        String dependent = Modulemd.TYPE + ":" + module.label();
        List<Brought> result = new ArrayList<>();
        for (Requirement requirement : chosen) {
            if (present(requirement)) {
                continue;
            }
            List<Brought> providers = providers(pair, module, requirement);
            if (providers.isEmpty()) {
                unresolved.add(new CopyPlan.Unresolved(dependent, requirement.text()));
            }
            for (Brought b : providers) {
                result.add(new Brought(b.pair(), b.module(), dependent, requirement.text()));
            }
        }
        return result;
    }

    /** The runtime requirements per {@code dependencies} entry; empty when some entry requires nothing. */
    private static List<List<Requirement>> alternatives(Modulemd module) {
        List<List<Requirement>> alternatives = new ArrayList<>();
        for (Map<String, Map<String, List<String>>> entry : module.dependencies()) {
            Map<String, List<String>> requires = entry.get("requires");
            if (requires == null || requires.isEmpty()) {
                return List.of(); // this alternative needs nothing at run time
            }
            List<Requirement> requirements = new ArrayList<>();
            new java.util.TreeMap<>(requires).forEach((name, streams) ->
                    requirements.add(new Requirement(name, streams == null ? List.of() : List.copyOf(streams))));
            alternatives.add(requirements);
        }
        return alternatives;
    }

    /** Whether a destination or the copy (brought builds included) holds a build meeting the requirement. */
    private boolean present(Requirement requirement) {
        boolean anyBuild = false;
        for (VersionData destination : destinations) {
            for (Modulemd m : destination.modulesByName.getOrDefault(requirement.module(), List.of())) {
                anyBuild = true;
                if (requirement.matches(m.stream())) {
                    return true;
                }
            }
        }
        for (int pair = 0; pair < sources.size(); pair++) {
            for (Modulemd m : sources.get(pair).modulesByName.getOrDefault(requirement.module(), List.of())) {
                anyBuild = true;
                if (requirement.matches(m.stream()) && (inCopy(pair, m.id()) || brought.get(pair).contains(m.id()))) {
                    return true;
                }
            }
        }
        return !anyBuild && requirement.module().equals("platform");
    }

    /** The builds that would meet the requirement, from the first source that has any (the dependent's pair first). */
    private List<Brought> providers(int dependentPair, Modulemd dependent, Requirement requirement) {
        List<Integer> order = new ArrayList<>();
        order.add(dependentPair);
        for (int pair = 0; pair < sources.size(); pair++) {
            if (pair != dependentPair) {
                order.add(pair);
            }
        }
        for (int pair : order) {
            VersionData source = sources.get(pair);
            List<Modulemd> candidates = source.modulesByName.getOrDefault(requirement.module(), List.of()).stream()
                    .filter(m -> requirement.matches(m.stream()) && compatible(dependent.arch(), m.arch())).toList();
            if (candidates.isEmpty()) {
                continue;
            }
            String defaultStream = source.defaultStream.get(requirement.module());
            String stream = candidates.stream().anyMatch(m -> m.stream().equals(defaultStream)) ? defaultStream
                    : candidates.stream().map(Modulemd::stream).max(ModuleRequirements::compareStreams).orElseThrow();
            long newest = candidates.stream().filter(m -> m.stream().equals(stream)).mapToLong(Modulemd::version).max().orElseThrow();
            int at = pair;
            return candidates.stream().filter(m -> m.stream().equals(stream) && m.version() == newest)
                    .sorted(Comparator.comparing(Modulemd::label))
                    .map(m -> new Brought(at, m.id(), null, null)).toList();
        }
        return List.of();
    }

    private static int compareStreams(String a, String b) {
        int c = RpmVersions.rpmvercmp(a, b);
        return c != 0 ? c : a.compareTo(b);
    }

    private static boolean compatible(String dependentArch, String arch) {
        return dependentArch.equals(arch) || dependentArch.equals("noarch") || arch.equals("noarch");
    }

    private boolean inCopy(int pair, UUID module) {
        return whole[pair] || inCopy.get(pair).containsKey(module);
    }

    /** The module builds in the copy of a pair, by label. */
    private List<Modulemd> modulesInCopy(int pair) {
        VersionData source = sources.get(pair);
        List<Modulemd> modules = new ArrayList<>();
        if (whole[pair]) {
            modules.addAll(source.modules.values());
        } else {
            for (UUID id : inCopy.get(pair).keySet()) {
                Modulemd m = source.modules.get(id);
                if (m != null) {
                    modules.add(m);
                }
            }
        }
        modules.sort(Comparator.comparing(Modulemd::label));
        return modules;
    }
}
