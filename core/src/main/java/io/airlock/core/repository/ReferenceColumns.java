package io.airlock.core.repository;

import io.airlock.core.plugin.PluginRegistry;
import io.airlock.spi.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hibernate.SessionFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.metamodel.mapping.SelectableMapping;
import org.hibernate.metamodel.mapping.internal.ToOneAttributeMapping;
import org.hibernate.persister.entity.EntityPersister;

/**
 * Where the references between units are stored (table and foreign-key column of each
 * {@link PluginRegistry.Reference}), per repository family, so that versions can be checked and
 * closed over references with set-based SQL.
 */
final class ReferenceColumns {

    /** Units of {@code type} (rows of {@code table}, keyed by {@code id}) refer to units of {@code targetType} by {@code column}. */
    record Column(String type, String table, String column, String targetType) {
    }

    private final SessionFactory sessionFactory;
    private final PluginRegistry plugins;
    private final Map<String, List<Column>> byFamily = new ConcurrentHashMap<>();

    ReferenceColumns(SessionFactory sessionFactory, PluginRegistry plugins) {
        this.sessionFactory = sessionFactory;
        this.plugins = plugins;
    }

    List<Column> of(String family) {
        return byFamily.computeIfAbsent(family, this::find);
    }

    private List<Column> find(String family) {
        List<Column> columns = new ArrayList<>();
        for (ContentType<?> type : plugins.contentTypes()) {
            if (!type.family().equals(family)) {
                continue;
            }
            EntityPersister persister = sessionFactory.unwrap(SessionFactoryImplementor.class).getMappingMetamodel()
                    .getEntityDescriptor(type.entityClass());
            for (PluginRegistry.Reference reference : plugins.references(type.id())) {
                if (!(persister.findByPath(reference.attributePath()) instanceof ToOneAttributeMapping toOne)) {
                    continue;
                }
                List<SelectableMapping> keys = new ArrayList<>();
                toOne.getForeignKeyDescriptor().getKeyPart().forEachSelectable((index, selectable) -> keys.add(selectable));
                if (keys.size() == 1) { // a content id is one uuid column
                    columns.add(new Column(type.id(), keys.get(0).getContainingTableExpression(),
                            keys.get(0).getSelectionExpression(), reference.targetType()));
                }
            }
        }
        return List.copyOf(columns);
    }
}
