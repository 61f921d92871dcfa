package io.airlock.core.plugin;

import io.airlock.spi.AirlockException;
import io.airlock.spi.ContentResource;
import io.airlock.spi.ContentType;
import io.airlock.spi.ErrorCode;
import jakarta.persistence.metamodel.Attribute;
import jakarta.persistence.metamodel.ManagedType;
import jakarta.persistence.metamodel.Metamodel;
import jakarta.persistence.metamodel.SingularAttribute;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The order in which content types are exported and imported, derived from the references between
 * them: a type whose units refer to units of another type (a many-to-one or one-to-one association,
 * directly or inside an embeddable) comes after it, so that an import resolves every reference
 * against a unit it has already stored. Among types with no reference between them the resources'
 * {@link ContentResource#importOrder()} and then the type id decide. A cycle between types cannot be
 * ordered and is refused at start-up; a type referring to itself is fine (its rows are ordered by
 * the import, which defers a row whose reference comes later).
 */
final class ImportOrder {

    private ImportOrder() {
    }

    /** The references of every type (attribute path → referenced type) and the resulting order. */
    record Graph(Map<String, List<PluginRegistry.Reference>> references, List<String> order) {
    }

    static Graph of(Collection<ContentType<?>> types, Map<String, ContentResource<?>> resources, Metamodel metamodel,
            Function<Class<?>, Optional<String>> typeOfClass) {
        Map<String, Set<String>> referenced = new LinkedHashMap<>();
        Map<String, List<PluginRegistry.Reference>> references = new LinkedHashMap<>();
        for (ContentType<?> type : types) {
            List<PluginRegistry.Reference> found = new ArrayList<>();
            collect(metamodel.managedType(type.entityClass()), "", typeOfClass, found, new HashSet<>());
            Set<String> targets = new TreeSet<>();
            found.forEach(reference -> targets.add(reference.targetType()));
            targets.remove(type.id());
            referenced.put(type.id(), targets);
            references.put(type.id(), List.copyOf(found));
        }
        Comparator<String> tieBreak = Comparator.comparingInt((String id) -> resources.get(id).importOrder())
                .thenComparing(Comparator.naturalOrder());
        List<String> order = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        while (order.size() < referenced.size()) {
            Optional<String> next = referenced.entrySet().stream()
                    .filter(e -> !placed.contains(e.getKey()) && placed.containsAll(e.getValue()))
                    .map(Map.Entry::getKey).min(tieBreak);
            if (next.isEmpty()) {
                throw new AirlockException(ErrorCode.PLUGIN_INVALID, "content types refer to each other in a cycle, which no"
                        + " import order can satisfy: " + cycle(referenced, placed));
            }
            order.add(next.get());
            placed.add(next.get());
        }
        return new Graph(Map.copyOf(references), List.copyOf(order));
    }

    /**
     * The singular references of {@code type}'s attributes to content types, through embeddables
     * too (a collection of references, which the generic resource refuses, is not followed).
     */
    private static void collect(ManagedType<?> type, String prefix, Function<Class<?>, Optional<String>> typeOfClass,
            List<PluginRegistry.Reference> found, Set<ManagedType<?>> seen) {
        if (!seen.add(type)) {
            return;
        }
        for (Attribute<?, ?> attribute : type.getAttributes()) {
            String path = prefix + attribute.getName();
            switch (attribute.getPersistentAttributeType()) {
                case MANY_TO_ONE, ONE_TO_ONE -> typeOfClass.apply(attribute.getJavaType())
                        .ifPresent(target -> found.add(new PluginRegistry.Reference(path, target)));
                case EMBEDDED -> {
                    if (attribute instanceof SingularAttribute<?, ?> singular && singular.getType() instanceof ManagedType<?> embedded) {
                        collect(embedded, path + ".", typeOfClass, found, seen);
                    }
                }
                default -> {
                }
            }
        }
    }

    /** The types left unplaced, each with what it waits for: every one of them is on or behind a cycle. */
    private static String cycle(Map<String, Set<String>> referenced, Set<String> placed) {
        List<String> waiting = new ArrayList<>();
        referenced.forEach((type, targets) -> {
            if (!placed.contains(type)) {
                Set<String> missing = new TreeSet<>(targets);
                missing.removeAll(placed);
                waiting.add(type + " refers to " + String.join(", ", missing));
            }
        });
        return String.join("; ", waiting);
    }
}
