package io.airlock.core.content;

import io.airlock.spi.Content;
import jakarta.persistence.PostPersist;
import jakarta.persistence.PrePersist;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.metamodel.mapping.AttributeMapping;
import org.hibernate.metamodel.mapping.BasicValuedModelPart;
import org.hibernate.metamodel.mapping.JdbcMapping;
import org.hibernate.metamodel.mapping.TableDetails;
import org.hibernate.persister.entity.EntityPersister;

/**
 * The insert of a content type's own table, for types whose whole row beyond {@link Content}'s is
 * basic columns of one table joined to {@code content}: with the {@code content} row that the
 * writer's claim already inserted (id, type, label, key digest), that row is the whole unit. It is
 * generated once from Hibernate's mapping and bound with Hibernate's own value binders (so
 * converters and enums store what {@code persist} would), in JDBC batches: no persistence context,
 * no second insert and delete of the {@code content} row.
 */
final class SubclassRows {

    /** Columns of {@code content} that the claim writes; a type mapping any other there is not eligible. */
    private static final Set<String> CLAIMED = Set.of("id", "content_type", "label", "key_digest");

    private final String sql;
    private final JdbcMapping idMapping;
    private final List<AttributeMapping> attributes;
    private final List<JdbcMapping> mappings;

    private SubclassRows(String sql, JdbcMapping idMapping, List<AttributeMapping> attributes, List<JdbcMapping> mappings) {
        this.sql = sql;
        this.idMapping = idMapping;
        this.attributes = attributes;
        this.mappings = mappings;
    }

    /**
     * The insert for {@code type}, or empty when its mapping has more than basic columns of one
     * table (collections, embeddables, references, a version, generated values, more tables,
     * lifecycle callbacks):
     * such a type is persisted through the ORM.
     */
    static Optional<SubclassRows> of(SessionFactoryImplementor factory, Class<? extends Content> type) {
        EntityPersister persister = factory.getMappingMetamodel().getEntityDescriptor(type);
        if (persister.isVersioned() || persister.hasInsertGeneratedProperties() || persister.isDynamicInsert() || hasCallbacks(type)
                || !(persister.getIdentifierMapping() instanceof BasicValuedModelPart id)) {
            return Optional.empty();
        }
        List<TableDetails> tables = new ArrayList<>();
        persister.forEachTableDetails(tables::add);
        if (tables.size() != 2 || tables.get(0).isIdentifierTable() == tables.get(1).isIdentifierTable()) {
            return Optional.empty();
        }
        TableDetails identifierTable = tables.get(0).isIdentifierTable() ? tables.get(0) : tables.get(1);
        TableDetails own = identifierTable == tables.get(0) ? tables.get(1) : tables.get(0);
        if (!unqualified(identifierTable.getTableName()).equalsIgnoreCase("content")) {
            return Optional.empty();
        }
        if (own.getKeyDetails().getColumnCount() != 1) {
            return Optional.empty();
        }
        List<String> columns = new ArrayList<>();
        columns.add(own.getKeyDetails().getKeyColumn(0).getColumnName());
        List<AttributeMapping> attributes = new ArrayList<>();
        List<JdbcMapping> mappings = new ArrayList<>();
        for (int a = 0; a < persister.getNumberOfAttributeMappings(); a++) {
            AttributeMapping attribute = persister.getAttributeMapping(a);
            BasicValuedModelPart basic = attribute.asBasicValuedModelPart();
            if (basic == null || basic.isFormula()) {
                return Optional.empty();
            }
            String table = basic.getContainingTableExpression();
            if (table.equalsIgnoreCase(identifierTable.getTableName())) {
                if (!CLAIMED.contains(unqualified(basic.getSelectionExpression()).toLowerCase(java.util.Locale.ROOT))) {
                    return Optional.empty();
                }
                continue;
            }
            if (!table.equalsIgnoreCase(own.getTableName()) || !basic.isInsertable()) {
                return Optional.empty();
            }
            columns.add(basic.getSelectionExpression());
            attributes.add(attribute);
            mappings.add(basic.getJdbcMapping());
        }
        String sql = "insert into " + own.getTableName() + " (" + String.join(", ", columns) + ") values ("
                + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")";
        return Optional.of(new SubclassRows(sql, id.getJdbcMapping(), List.copyOf(attributes), List.copyOf(mappings)));
    }

    /** A table or column name without its schema or quotes (PostgreSQL's dialect quotes keywords such as "content"). */
    private static String unqualified(String table) {
        String name = table.substring(table.lastIndexOf('.') + 1);
        return name.length() > 1 && name.startsWith("\"") && name.endsWith("\"") ? name.substring(1, name.length() - 1) : name;
    }

    private static boolean hasCallbacks(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            if (c.isAnnotationPresent(jakarta.persistence.EntityListeners.class)) {
                return true;
            }
            for (Method method : c.getDeclaredMethods()) {
                if (method.isAnnotationPresent(PrePersist.class) || method.isAnnotationPresent(PostPersist.class)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Inserts the type's own row of each unit, whose {@code content} row exists, in batches of {@code batchSize}. */
    void insert(Connection connection, SharedSessionContractImplementor session, List<Content> units, int batchSize)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            int pending = 0;
            for (Content unit : units) {
                bind(insert, idMapping, unit.id(), 1, session);
                for (int i = 0; i < attributes.size(); i++) {
                    bind(insert, mappings.get(i), attributes.get(i).getValue(unit), i + 2, session);
                }
                insert.addBatch();
                if (++pending == batchSize) {
                    insert.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                insert.executeBatch();
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void bind(PreparedStatement statement, JdbcMapping mapping, Object value, int index,
            SharedSessionContractImplementor session) throws SQLException {
        ((org.hibernate.type.descriptor.ValueBinder) mapping.getJdbcValueBinder()).bind(statement,
                mapping.convertToRelationalValue(value), index, session);
    }
}
