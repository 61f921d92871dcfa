package io.airlock.core.copy;

import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ContentType;
import io.airlock.spi.copy.CopyPair;
import io.airlock.spi.copy.CopyPlan;
import io.airlock.spi.copy.CopyPlan.Addition;
import io.airlock.spi.copy.CopyPlan.Reason;
import io.airlock.spi.copy.CopyPlan.Unresolved;
import io.airlock.spi.copy.CopyPolicy;
import io.airlock.spi.copy.CopyProblem;
import io.airlock.spi.copy.VersionContent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Test plugin "gadget" whose copy policy (unless a test gives another) brings a kit's parts (children, always) and, when
 * dependency solving is on, a provider of what a selected gadget needs: satisfied by any destination
 * at its base, else taken from the first source that has one, else unresolved. One level deep.
 */
final class GadgetPlugin implements ContentPlugin {

    private final CopyPolicy policy;

    GadgetPlugin() {
        this(GadgetPlugin::plan);
    }

    /** The gadget family with another copy policy, for tests that script one. */
    GadgetPlugin(CopyPolicy policy) {
        this.policy = policy;
    }

    @Override
    public String name() {
        return "gadget";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public List<ContentType<?>> contentTypes() {
        return List.of(ContentType.of(Gadget.class));
    }

    @Override
    public Optional<CopyPolicy> copyPolicy() {
        return Optional.of(policy);
    }

    private static CopyPlan plan(CopyProblem problem) {
        Map<String, Map<String, Gadget>> byVersion = new HashMap<>();
        List<Addition> additions = new ArrayList<>();
        List<Unresolved> unresolved = new ArrayList<>();
        for (CopyPair pair : problem.pairs()) {
            Map<String, Gadget> source = gadgets(pair.source(), byVersion);
            for (var unit : pair.selected()) {
                Gadget gadget = (Gadget) unit;
                for (String part : gadget.parts()) {
                    additions.add(new Addition(pair.index(), source.get(part), Reason.childOf(gadget.toString())));
                }
                if (problem.options().dependencySolving() && gadget.needs() != null) {
                    String capability = gadget.needs();
                    boolean provided = problem.pairs().stream()
                            .anyMatch(p -> provider(gadgets(p.destination(), byVersion), capability).isPresent());
                    if (provided) {
                        continue;
                    }
                    Optional<Addition> found = problem.pairs().stream()
                            .flatMap(p -> provider(gadgets(p.source(), byVersion), capability)
                                    .map(g -> new Addition(p.index(), g, Reason.dependencyOf(gadget.toString(), capability)))
                                    .stream())
                            .findFirst();
                    found.ifPresentOrElse(additions::add, () -> unresolved.add(new Unresolved(gadget.toString(), capability)));
                }
            }
        }
        return new CopyPlan(additions, unresolved);
    }

    private static Optional<Gadget> provider(Map<String, Gadget> gadgets, String capability) {
        return gadgets.values().stream().filter(g -> capability.equals(g.provides()))
                .sorted(java.util.Comparator.comparing(Gadget::label)).findFirst();
    }

    private static Map<String, Gadget> gadgets(VersionContent version, Map<String, Map<String, Gadget>> cache) {
        return cache.computeIfAbsent(version.repository() + "@" + version.version(), key -> {
            Map<String, Gadget> byName = new HashMap<>();
            version.scan(Gadget.class, 2, batch -> batch.forEach(g -> byName.put(g.label(), g)));
            return byName;
        });
    }
}
