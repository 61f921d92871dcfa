package io.airlock.core.ingest;

import io.airlock.core.plugin.PluginRegistry;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.SessionFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.metamodel.mapping.AttributeMapping;
import org.hibernate.metamodel.mapping.EmbeddableValuedModelPart;
import org.hibernate.metamodel.mapping.ManagedMappingType;

/**
 * A many-to-one attribute of a content type that refers to another unit, possibly inside an
 * embeddable ({@code origin.project}): read and written through Hibernate's own property access,
 * so that an ingest can swap the instance a plugin gave for a reference to the stored unit.
 */
record ReferenceAttribute(String path, String targetType, List<AttributeMapping> steps) {

    static List<ReferenceAttribute> of(SessionFactory sessionFactory, PluginRegistry plugins, String typeId) {
        List<PluginRegistry.Reference> references = plugins.references(typeId);
        if (references.isEmpty()) {
            return List.of();
        }
        ManagedMappingType entity = sessionFactory.unwrap(SessionFactoryImplementor.class).getMappingMetamodel()
                .getEntityDescriptor(plugins.contentType(typeId).orElseThrow().entityClass());
        List<ReferenceAttribute> attributes = new ArrayList<>();
        for (PluginRegistry.Reference reference : references) {
            List<AttributeMapping> steps = new ArrayList<>();
            ManagedMappingType container = entity;
            for (String name : reference.attributePath().split("\\.")) {
                AttributeMapping step = container == null ? null : container.findAttributeMapping(name);
                if (step == null) {
                    throw new AirlockException(ErrorCode.PLUGIN_INVALID, "type " + typeId + ": reference "
                            + reference.attributePath() + " cannot be followed (only embeddables may hold a reference)");
                }
                steps.add(step);
                container = step instanceof EmbeddableValuedModelPart embedded ? embedded.getEmbeddableTypeDescriptor() : null;
            }
            attributes.add(new ReferenceAttribute(reference.attributePath(), reference.targetType(), List.copyOf(steps)));
        }
        return List.copyOf(attributes);
    }

    /** The referenced instance (null when the reference or an embeddable on its path is null). */
    Object get(Object unit) {
        Object holder = unit;
        for (AttributeMapping step : steps) {
            if (holder == null) {
                return null;
            }
            holder = step.getPropertyAccess().getGetter().get(holder);
        }
        return holder;
    }

    void set(Object unit, Object target) {
        Object holder = unit;
        for (int i = 0; i < steps.size() - 1; i++) {
            holder = steps.get(i).getPropertyAccess().getGetter().get(holder);
        }
        steps.get(steps.size() - 1).getPropertyAccess().getSetter().set(holder, target);
    }
}
