package io.airlock.core.copy;

import io.airlock.core.copy.Validator.Named;
import io.airlock.core.copy.Validator.Resolved;
import io.airlock.core.plugin.PluginRegistry;
import io.airlock.core.repository.VersionMembership;
import io.airlock.spi.Content;
import io.airlock.spi.ContentType;
import io.airlock.spi.copy.CopyPair;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.Session;

/**
 * One entry as a copy policy sees it. The selected units are loaded on the first call of
 * {@link #selected()} only, into the copy's session, a query per type and chunk of ids, read-only:
 * policies never write, and read-only entities keep no snapshot for dirty checking (half the heap).
 */
final class Pair implements CopyPair {

    static final Comparator<Content> BY_TYPE_AND_LABEL = Comparator.comparing(Content::typeId).thenComparing(Content::label);

    private final Resolved entry;
    private final VersionView source;
    private final VersionView destination;
    private final Session session;
    private final PluginRegistry plugins;
    private List<Content> selected;

    Pair(Resolved entry, VersionView source, VersionView destination, Session session, PluginRegistry plugins) {
        this.entry = entry;
        this.source = source;
        this.destination = destination;
        this.session = session;
        this.plugins = plugins;
    }

    Resolved entry() {
        return entry;
    }

    @Override
    public int index() {
        return entry.index();
    }

    @Override
    public VersionView source() {
        return source;
    }

    @Override
    public VersionView destination() {
        return destination;
    }

    @Override
    public boolean wholeVersion() {
        return entry.selection().isEmpty();
    }

    @Override
    public List<Content> selected() {
        if (selected == null) {
            List<Content> units = entry.selection().map(this::load).orElseGet(this::loadWhole);
            units.sort(BY_TYPE_AND_LABEL);
            selected = List.copyOf(units);
        }
        return selected;
    }

    private List<Content> load(List<Named> named) {
        Map<String, List<UUID>> idsByType = new LinkedHashMap<>();
        for (Named unit : named) {
            idsByType.computeIfAbsent(unit.name().type(), t -> new ArrayList<>()).add(unit.id());
        }
        List<Content> units = new ArrayList<>();
        idsByType.forEach((type, ids) -> {
            String entity = entityName(plugins.contentType(type).orElseThrow());
            for (int from = 0; from < ids.size(); from += Membership.CHUNK) {
                units.addAll(session.createSelectionQuery("select c from " + entity + " c where c.id in :ids", Content.class)
                        .setParameter("ids", ids.subList(from, Math.min(ids.size(), from + Membership.CHUNK)))
                        .setReadOnly(true)
                        .getResultList());
            }
        });
        return units;
    }

    private List<Content> loadWhole() {
        List<Content> units = new ArrayList<>();
        for (ContentType<?> type : plugins.contentTypes()) {
            if (!type.family().equals(entry.family())) {
                continue;
            }
            units.addAll(session.createSelectionQuery("select c from RepositoryContent rc join " + entityName(type)
                            + " c on c.id = rc.key.contentId where " + VersionMembership.hql("rc", ":r", ":n"), Content.class)
                    .setParameter("r", entry.sourceVersion().repositoryId())
                    .setParameter("n", entry.sourceVersion().number())
                    .setReadOnly(true)
                    .getResultList());
        }
        return units;
    }

    private String entityName(ContentType<?> type) {
        return session.getFactory().getMetamodel().entity(type.entityClass()).getName();
    }

    @Override
    public String toString() {
        return "config[" + index() + "]: " + source + " -> " + destination;
    }
}
