package io.airlock.core.plugin;

import io.airlock.spi.AirlockException;
import io.airlock.spi.ContentResource;
import io.airlock.spi.ContentType;
import io.airlock.spi.ErrorCode;
import jakarta.persistence.metamodel.Attribute;
import jakarta.persistence.metamodel.ManagedType;
import jakarta.persistence.metamodel.Metamodel;
import jakarta.persistence.metamodel.PluralAttribute;
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

    static List<String> of(Collection<ContentType<?>> types, Map<String, ContentResource<?>> resources, Metamodel metamodel,
            Function<Class<?>, Optional<String>> typeOfClass) {
        Map<String, Set<String>> referenced = new LinkedHashMap<>();
        for (ContentType<?> type : types) {
            Set<String> targets = new TreeSet<>();
            collect(metamodel.managedType(type.entityClass()), typeOfClass, targets, new HashSet<>());
            targets.remove(type.id());
            referenced.put(type.id(), targets);
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
        return List.copyOf(order);
    }

    /** The content types the attributes of {@code type} refer to, through embeddables too. */
    private static void collect(ManagedType<?> type, Function<Class<?>, Optional<String>> typeOfClass, Set<String> targets,
            Set<ManagedType<?>> seen) {
        if (!seen.add(type)) {
            return;
        }
        for (Attribute<?, ?> attribute : type.getAttributes()) {
            Class<?> target = attribute instanceof PluralAttribute<?, ?, ?> plural
                    ? plural.getElementType().getJavaType() : attribute.getJavaType();
            switch (attribute.getPersistentAttributeType()) {
                case MANY_TO_ONE, ONE_TO_ONE, MANY_TO_MANY, ONE_TO_MANY -> typeOfClass.apply(target).ifPresent(targets::add);
                case EMBEDDED, ELEMENT_COLLECTION -> {
                    if (attribute instanceof PluralAttribute<?, ?, ?> plural
                            && plural.getElementType() instanceof ManagedType<?> element) {
                        collect(element, typeOfClass, targets, seen);
                    } else if (attribute instanceof jakarta.persistence.metamodel.SingularAttribute<?, ?> singular
                            && singular.getType() instanceof ManagedType<?> embedded) {
                        collect(embedded, typeOfClass, targets, seen);
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
