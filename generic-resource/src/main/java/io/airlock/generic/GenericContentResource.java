package io.airlock.generic;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Content;
import io.airlock.spi.ContentKey;
import io.airlock.spi.ContentResource;
import io.airlock.spi.ContentType;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.Messages;
import io.airlock.spi.NaturalKey;
import io.airlock.spi.ResourceContext;
import jakarta.persistence.metamodel.Attribute;
import jakarta.persistence.metamodel.EmbeddableType;
import jakarta.persistence.metamodel.EntityType;
import jakarta.persistence.metamodel.ManagedType;
import jakarta.persistence.metamodel.MapAttribute;
import jakarta.persistence.metamodel.PluralAttribute;
import jakarta.persistence.metamodel.SingularAttribute;
import jakarta.persistence.metamodel.Type;
import jakarta.persistence.OrderBy;
import jakarta.persistence.OrderColumn;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.hibernate.Hibernate;
import org.hibernate.Session;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.metamodel.mapping.JdbcMapping;
import org.hibernate.type.SqlTypes;

/**
 * A {@link ContentResource} built by reflection from the persistence metamodel, for content types
 * without a hand-written resource.
 *
 * <p>A row is one JSON object with a key per attribute (sorted), holding basic values, embeddables
 * (objects), element collections (arrays, or objects for maps with string keys), JSON columns (as
 * JSON, read back with the attribute's declared type) and many-to-one references to other content
 * (the target's natural-key fields). The attributes of {@link Content} itself are not written: the
 * label and key digest are recomputed on import, ids are local. So is a {@code @Version} counter.
 *
 * <p>{@link #create} refuses, with {@link ErrorCode#PLUGIN_INVALID}, an entity it cannot represent
 * faithfully (other associations, unsupported types, no or non-basic natural key) instead of
 * silently dropping a field. A resource is immutable and may be shared between threads.
 */
public final class GenericContentResource<T extends Content> implements ContentResource<T> {

    private static final int FETCH_BATCH = 500;

    private final String typeId;
    private final Class<T> entityClass;
    private final String entityName;
    private final ObjectCodec row;
    private final List<Property> naturalKey;
    private final List<String> naturalKeyFields;
    /** Attribute paths that {@link #prepareForWrite} fetches: collections and lazy references. */
    private final List<String> fetchPaths;
    private final ContentType.FileDigestOf<T> fileDigest;

    private GenericContentResource(String typeId, Class<T> entityClass, String entityName, ObjectCodec row,
            List<Property> naturalKey, List<String> fetchPaths, ContentType.FileDigestOf<T> fileDigest) {
        this.typeId = typeId;
        this.entityClass = entityClass;
        this.entityName = entityName;
        this.row = row;
        this.naturalKey = naturalKey;
        this.naturalKeyFields = naturalKey.stream().map(Property::name).toList();
        this.fetchPaths = fetchPaths;
        this.fileDigest = fileDigest;
    }

    /**
     * Builds the resource of {@code type} from {@code context}'s metamodel.
     *
     * @throws AirlockException with {@link ErrorCode#PLUGIN_INVALID} naming the entity and the
     *     attribute when the entity cannot be exported faithfully
     */
    public static <T extends Content> GenericContentResource<T> create(ContentType<T> type, ResourceContext context) {
        return new Inspector<>(type, context).build();
    }

    @Override
    public String typeId() {
        return typeId;
    }

    @Override
    public Class<T> entityClass() {
        return entityClass;
    }

    @Override
    public List<String> naturalKeyFields() {
        return naturalKeyFields;
    }

    @Override
    public ContentKey naturalKey(T unit) {
        Object real = Hibernate.unproxy(unit);
        Map<String, Object> fields = new HashMap<>();
        for (Property p : naturalKey) {
            fields.put(p.name(), p.get(real));
        }
        return ContentKey.of(typeId, fields);
    }

    /** As the content type declares it ({@link ContentType#withFileDigest}). */
    @Override
    public java.util.Optional<io.airlock.spi.FileDigest> fileDigest(T unit) {
        return fileDigest.of(entityClass.cast(Hibernate.unproxy(unit)));
    }

    @Override
    public void prepareForWrite(Session session, List<T> units) {
        if (units.isEmpty() || fetchPaths.isEmpty()) {
            return;
        }
        List<Object> ids = new ArrayList<>(units.size());
        for (T unit : units) {
            ids.add(unit.id());
        }
        // One query per path: fetching several collections at once multiplies rows (and Hibernate
        // refuses to fetch two bags together).
        for (String path : fetchPaths) {
            if (allInitialized(path, units)) {
                continue;
            }
            String hql = "select e from " + entityName + " e left join fetch e." + path + " where e.id in :ids";
            for (int from = 0; from < ids.size(); from += FETCH_BATCH) {
                session.createSelectionQuery(hql, entityClass)
                        .setParameter("ids", ids.subList(from, Math.min(ids.size(), from + FETCH_BATCH)))
                        .getResultList();
            }
        }
    }

    /** True when the path is an attribute of the entity itself that every unit already has loaded (eager). */
    private boolean allInitialized(String path, List<T> units) {
        Property property = row.properties().stream().filter(p -> p.name().equals(path)).findFirst().orElse(null);
        if (property == null) {
            return false;
        }
        for (T unit : units) {
            if (!Hibernate.isInitialized(property.get(Hibernate.unproxy(unit)))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void writeRow(T unit, JsonGenerator out) throws IOException {
        row.write(Hibernate.unproxy(unit), out);
    }

    @Override
    public T readRow(ObjectNode node, RowReader reader) {
        try {
            return entityClass.cast(row.read(node, "", reader));
        } catch (InvalidValue e) {
            throw new AirlockException(ErrorCode.INVALID_INPUT,
                    "row of content type " + typeId + ": field '" + Messages.cut(e.path()) + "' " + Messages.cut(e.getMessage(), 300));
        }
    }

    /** Walks the metamodel once; holds the state needed only while the resource is being built. */
    private static final class Inspector<T extends Content> {

        private final ContentType<T> type;
        private final ResourceContext context;
        private final String where;
        private final List<String> fetchPaths = new ArrayList<>();

        Inspector(ContentType<T> type, ResourceContext context) {
            this.type = type;
            this.context = context;
            this.where = "content type " + type.id() + " (" + type.entityClass().getName() + ")";
        }

        GenericContentResource<T> build() {
            Class<T> cls = type.entityClass();
            EntityType<T> entity;
            try {
                entity = context.metamodel().entity(cls);
            } catch (IllegalArgumentException e) {
                throw refuse("is not a persistent entity");
            }
            List<Property> properties = new ArrayList<>();
            Map<String, Attribute<?, ?>> attributes = new HashMap<>();
            for (Attribute<? super T, ?> attribute : entity.getAttributes()) {
                Member member = attribute.getJavaMember();
                if (member != null && member.getDeclaringClass() == Content.class) {
                    continue;
                }
                // A version counter is local optimistic-locking state; a new unit starts its own.
                if (attribute instanceof SingularAttribute<?, ?> s && (s.isVersion() || s.isId())) {
                    continue;
                }
                attributes.put(attribute.getName(), attribute);
                properties.add(property(attribute, "", false));
            }
            List<Property> key = naturalKey(cls, attributes, properties);
            ObjectCodec codec = objectCodec(cls, properties, "");
            return new GenericContentResource<>(type.id(), cls, entity.getName(), codec, key, List.copyOf(fetchPaths), type.fileDigest());
        }

        private List<Property> naturalKey(Class<T> cls, Map<String, Attribute<?, ?>> attributes, List<Property> properties) {
            Map<String, Property> byName = new HashMap<>();
            properties.forEach(p -> byName.put(p.name(), p));
            TreeMap<String, Property> key = new TreeMap<>();
            for (Class<?> c = cls; c != null && c != Content.class; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (!field.isAnnotationPresent(NaturalKey.class)) {
                        continue;
                    }
                    String name = field.getName();
                    Attribute<?, ?> attribute = attributes.get(name);
                    if (attribute == null) {
                        throw refuse("field '" + name + "' is marked @NaturalKey but is not a persistent attribute");
                    }
                    if (attribute.getPersistentAttributeType() != Attribute.PersistentAttributeType.BASIC
                            || isJson(attribute) || !ScalarCodecs.keyCapable(attribute.getJavaType())) {
                        throw refuse("attribute '" + name + "' is marked @NaturalKey but is "
                                + describe(attribute) + "; natural-key fields must be basic values"
                                + " (strings, numbers, booleans, enums, UUIDs, java.time values)");
                    }
                    key.put(name, byName.get(name));
                }
            }
            if (key.isEmpty()) {
                throw refuse("has no field marked @NaturalKey; mark the fields that identify a unit across installations");
            }
            return List.copyOf(key.values());
        }

        private Property property(Attribute<?, ?> attribute, String path, boolean inCollection) {
            String name = attribute.getName();
            String fullName = ObjectCodec.join(path, name);
            Field field = field(attribute, fullName);
            Codec codec = switch (attribute.getPersistentAttributeType()) {
                case BASIC -> basic(attribute, fullName, field);
                case EMBEDDED -> embeddable((EmbeddableType<?>) ((SingularAttribute<?, ?>) attribute).getType(), fullName,
                        inCollection);
                case ELEMENT_COLLECTION -> elementCollection((PluralAttribute<?, ?, ?>) attribute, fullName, field,
                        inCollection);
                case MANY_TO_ONE -> reference(attribute, fullName, inCollection);
                case ONE_TO_ONE -> throw unsupportedAssociation(fullName, "one-to-one");
                case ONE_TO_MANY -> throw unsupportedAssociation(fullName, "one-to-many");
                case MANY_TO_MANY -> throw unsupportedAssociation(fullName, "many-to-many");
            };
            return new Property(name, field, codec);
        }

        private Field field(Attribute<?, ?> attribute, String fullName) {
            Member member = attribute.getJavaMember();
            Field field = member instanceof Field f ? f : findField(attribute.getDeclaringType().getJavaType(), attribute.getName());
            if (field == null) {
                throw refuse("attribute '" + fullName + "' has no field of that name (property access is not supported)");
            }
            if (Modifier.isFinal(field.getModifiers()) && !field.getDeclaringClass().isRecord()) {
                throw refuse("attribute '" + fullName + "' is a final field, which cannot be set when a row is read");
            }
            try {
                field.setAccessible(true);
            } catch (RuntimeException e) {
                throw refuse("attribute '" + fullName + "' is not accessible: " + e.getMessage());
            }
            return field;
        }

        private static Field findField(Class<?> type, String name) {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                try {
                    return c.getDeclaredField(name);
                } catch (NoSuchFieldException e) {
                    // look in the superclass
                }
            }
            return null;
        }

        private Codec basic(Attribute<?, ?> attribute, String fullName, Field field) {
            if (isJson(attribute)) {
                return new JsonColumnCodec(field.getGenericType());
            }
            Codec codec = ScalarCodecs.forType(attribute.getJavaType());
            if (codec == null) {
                // The field's declared type: Hibernate's own may differ (java.sql.Timestamp for a java.util.Date).
                throw refuse("attribute '" + fullName + "' is declared as " + field.getGenericType().getTypeName()
                        + ", which the generic resource cannot export; use a supported type, a JSON column,"
                        + " or write a ContentResource for it");
            }
            return attribute.getJavaType() == String.class ? bounded(codec, field) : codec;
        }

        /**
         * A string read from a row is refused when longer than its column holds, so that an
         * oversized value is a bad row named by its field rather than a database error.
         */
        private static Codec bounded(Codec codec, Field field) {
            jakarta.persistence.Column column = field == null ? null : field.getAnnotation(jakarta.persistence.Column.class);
            if (column == null || !column.columnDefinition().isEmpty() || field.isAnnotationPresent(jakarta.persistence.Lob.class)) {
                return codec;
            }
            int length = column.length();
            return new Codec() {
                @Override
                public void write(Object value, com.fasterxml.jackson.core.JsonGenerator out) throws IOException {
                    codec.write(value, out);
                }

                @Override
                public Object read(com.fasterxml.jackson.databind.JsonNode node, String path, RowReader reader) {
                    Object value = codec.read(node, path, reader);
                    if (value instanceof String text && text.length() > length) {
                        throw new InvalidValue(path, "is longer than its column's " + length + " characters (" + text.length() + ")");
                    }
                    return value;
                }
            };
        }

        private Codec embeddable(ManagedType<?> embeddable, String path, boolean inCollection) {
            List<Property> properties = new ArrayList<>();
            for (Attribute<?, ?> attribute : embeddable.getAttributes()) {
                properties.add(property(attribute, path, inCollection));
            }
            return objectCodec(embeddable.getJavaType(), properties, path);
        }

        private ObjectCodec objectCodec(Class<?> cls, List<Property> properties, String path) {
            try {
                return new ObjectCodec(cls, properties);
            } catch (NoSuchMethodException e) {
                String what = path.isEmpty() ? "it" : "attribute '" + path + "' (" + cls.getName() + ")";
                throw refuse(what + " has no no-arg constructor to create it from a row");
            } catch (RuntimeException e) {
                throw refuse("the constructor of " + cls.getName() + " is not accessible: " + e.getMessage());
            }
        }

        private Codec elementCollection(PluralAttribute<?, ?, ?> attribute, String fullName, Field field, boolean inCollection) {
            if (inCollection) {
                throw refuse("attribute '" + fullName + "' is a collection inside a collection element");
            }
            Class<?> declared = field.getType();
            Codec element = element(attribute.getElementType(), fullName);
            fetchPaths.add(fullName);
            if (attribute instanceof MapAttribute<?, ?, ?> map) {
                if (map.getKeyJavaType() != String.class) {
                    throw refuse("attribute '" + fullName + "' is a map with keys of type " + map.getKeyJavaType().getName()
                            + "; only string keys are supported");
                }
                Supplier<Map<String, Object>> factory = SortedMap.class.isAssignableFrom(declared) ? TreeMap::new
                        : LinkedHashMap::new;
                checkAssignable(declared, factory.get(), fullName);
                return new MapCodec(element, factory);
            }
            boolean ordered = field.isAnnotationPresent(OrderColumn.class) || field.isAnnotationPresent(OrderBy.class);
            Supplier<Collection<Object>> factory = switch (attribute.getCollectionType()) {
                case SET -> SortedSet.class.isAssignableFrom(declared) ? TreeSet::new : LinkedHashSet::new;
                case LIST, COLLECTION -> ArrayList::new;
                default -> throw refuse("attribute '" + fullName + "' is a collection of kind " + attribute.getCollectionType()
                        + ", which the generic resource cannot export");
            };
            checkAssignable(declared, factory.get(), fullName);
            return new CollectionCodec(element, factory, ordered && !Set.class.isAssignableFrom(declared));
        }

        private void checkAssignable(Class<?> declared, Object collection, String fullName) {
            if (!declared.isInstance(collection)) {
                throw refuse("attribute '" + fullName + "' is declared as " + declared.getName()
                        + "; declare it as List, Set, SortedSet, Collection, Map or SortedMap");
            }
        }

        private Codec element(Type<?> elementType, String fullName) {
            return switch (elementType.getPersistenceType()) {
                case BASIC -> {
                    if (elementType instanceof JdbcMapping mapping && mapping.getJdbcType().isJson()) {
                        yield new JsonColumnCodec(elementType.getJavaType());
                    }
                    Codec codec = ScalarCodecs.forType(elementType.getJavaType());
                    if (codec == null) {
                        throw refuse("attribute '" + fullName + "' has elements of type " + elementType.getJavaType().getName()
                                + ", which the generic resource cannot export");
                    }
                    yield codec;
                }
                case EMBEDDABLE -> embeddable((EmbeddableType<?>) elementType, fullName + "[]", true);
                default -> throw refuse("attribute '" + fullName + "' is a collection of "
                        + elementType.getPersistenceType().name().toLowerCase(java.util.Locale.ROOT)
                        + " values, which the generic resource cannot export");
            };
        }

        private Codec reference(Attribute<?, ?> attribute, String fullName, boolean inCollection) {
            Class<?> target = attribute.getJavaType();
            if (!Content.class.isAssignableFrom(target) || target == Content.class) {
                throw refuse("attribute '" + fullName + "' is a many-to-one association to " + target.getName()
                        + ", which is not a content type; only references to content are exported (by natural key)");
            }
            String targetType;
            try {
                targetType = Content.typeIdOf(target);
            } catch (AirlockException e) {
                throw refuse("attribute '" + fullName + "' refers to " + target.getName()
                        + ", which has no content type id (@DiscriminatorValue)");
            }
            if (!inCollection && !fullName.contains("[]")) {
                fetchPaths.add(fullName);
            }
            return new ReferenceCodec(target.asSubclass(Content.class), targetType, context);
        }

        private static boolean isJson(Attribute<?, ?> attribute) {
            if (attribute instanceof SingularAttribute<?, ?> s && s.getType() instanceof JdbcMapping mapping) {
                return mapping.getJdbcType().isJson();
            }
            // Not Hibernate's own metamodel: fall back to the mapping annotation.
            JdbcTypeCode code = attribute.getJavaMember() instanceof Field f ? f.getAnnotation(JdbcTypeCode.class) : null;
            return code != null && (code.value() == SqlTypes.JSON || code.value() == SqlTypes.JSON_ARRAY);
        }

        private static String describe(Attribute<?, ?> attribute) {
            return switch (attribute.getPersistentAttributeType()) {
                case BASIC -> isJson(attribute) ? "a JSON column" : "of type " + attribute.getJavaType().getName();
                case EMBEDDED -> "an embeddable";
                case ELEMENT_COLLECTION -> "an element collection";
                default -> "an association";
            };
        }

        private AirlockException unsupportedAssociation(String fullName, String kind) {
            return refuse("attribute '" + fullName + "' is a " + kind
                    + " association, which the generic resource cannot export; write a ContentResource for it");
        }

        private AirlockException refuse(String why) {
            return new AirlockException(ErrorCode.PLUGIN_INVALID, where + ": " + why);
        }
    }
}
