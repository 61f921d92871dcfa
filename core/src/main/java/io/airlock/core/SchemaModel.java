package io.airlock.core;

import io.airlock.core.plugin.PluginRegistry;
import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ContentType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.model.relational.Namespace;
import org.hibernate.boot.model.relational.Sequence;
import org.hibernate.boot.spi.BootstrapContext;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.integrator.spi.Integrator;
import org.hibernate.mapping.Collection;
import org.hibernate.mapping.Column;
import org.hibernate.mapping.PersistentClass;
import org.hibernate.mapping.Table;
import org.hibernate.tool.schema.spi.SchemaFilter;
import org.hibernate.tool.schema.spi.SchemaFilterProvider;

/**
 * The entity tables Hibernate maps and the module (core or plugin) each belongs to, taken from
 * Hibernate's boot model as the session factory starts (an {@link Integrator}, which runs before
 * Hibernate's schema tooling). Used to let Hibernate's schema update touch only the tables of
 * plugins that ship no migrations, and by {@code VALIDATE} to name what is missing.
 */
final class SchemaModel implements Integrator, SchemaFilterProvider {

    /**
     * One entity or collection table: its name, the module whose entity maps it and its columns,
     * a quoted one (a keyword such as {@code "groups"}) with its quotes: the database must have it
     * in exactly that case, where an unquoted name is folded (upper case on H2).
     */
    record TableModel(String name, String module, List<String> columns) {
    }

    private final Map<Class<?>, String> moduleOfClass = new HashMap<>();
    private final Set<String> updatable;
    private volatile Map<String, TableModel> tables = Map.of();
    private volatile Metadata metadata;

    /**
     * @param updatable the modules whose tables Hibernate's schema update may create and change
     *                  (plugins with entities but no migrations)
     */
    SchemaModel(PluginRegistry registry, Set<String> updatable) {
        this.updatable = Set.copyOf(updatable);
        Schema.CORE_ENTITIES.forEach(type -> moduleOfClass.put(type, Schema.CORE));
        for (ContentPlugin plugin : registry.plugins()) {
            for (ContentType<?> type : plugin.contentTypes()) {
                moduleOfClass.putIfAbsent(type.entityClass(), plugin.name());
            }
            plugin.entityClasses().forEach(type -> moduleOfClass.putIfAbsent(type, plugin.name()));
        }
    }

    /** The mapped tables by lower-case name, in mapping order (known once the session factory started). */
    Map<String, TableModel> tables() {
        return tables;
    }

    @Override
    public void integrate(Metadata metadata, BootstrapContext bootstrapContext, SessionFactoryImplementor sessionFactory) {
        Map<String, TableModel> found = new LinkedHashMap<>();
        for (PersistentClass entity : metadata.getEntityBindings()) {
            add(found, entity.getTable(), moduleOf(entity.getMappedClass()));
        }
        for (Collection collection : metadata.getCollectionBindings()) {
            add(found, collection.getCollectionTable(), moduleOf(collection.getOwner().getMappedClass()));
        }
        this.tables = Collections.unmodifiableMap(found);
        this.metadata = metadata;
    }

    /** The mapping, for a schema update of the plugins without migrations (known once the session factory started). */
    Metadata metadata() {
        return metadata;
    }

    private static void add(Map<String, TableModel> found, Table table, String module) {
        if (table == null || !table.isPhysicalTable() || table.isView()) {
            return;
        }
        List<String> columns = new ArrayList<>();
        for (Column column : table.getColumns()) {
            columns.add(column.isQuoted() ? '"' + column.getName() + '"' : column.getName());
        }
        found.putIfAbsent(key(table.getName()), new TableModel(table.getName(), module, List.copyOf(columns)));
    }

    private String moduleOf(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            String module = moduleOfClass.get(c);
            if (module != null) {
                return module;
            }
        }
        return Schema.CORE;
    }

    /** A table name as a key: without quotes, in lower case. */
    static String key(String name) {
        String unquoted = name.startsWith("\"") || name.startsWith("`") ? name.substring(1, name.length() - 1) : name;
        return unquoted.toLowerCase(Locale.ROOT);
    }

    private final SchemaFilter updateFilter = new SchemaFilter() {
        @Override
        public boolean includeNamespace(Namespace namespace) {
            return true;
        }

        @Override
        public boolean includeTable(Table table) {
            TableModel model = tables.get(key(table.getName()));
            return model != null && updatable.contains(model.module());
        }

        @Override
        public boolean includeSequence(Sequence sequence) {
            return false;
        }
    };

    @Override
    public SchemaFilter getMigrateFilter() {
        return updateFilter;
    }

    @Override
    public SchemaFilter getCreateFilter() {
        return updateFilter;
    }

    @Override
    public SchemaFilter getDropFilter() {
        return updateFilter;
    }

    @Override
    public SchemaFilter getTruncatorFilter() {
        return updateFilter;
    }

    @Override
    public SchemaFilter getValidateFilter() {
        return SchemaFilter.ALL;
    }
}
