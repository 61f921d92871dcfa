package io.airlock.plugin.rpm;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ContentKey;
import io.airlock.spi.ContentResource;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.Messages;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.Hibernate;
import org.hibernate.Session;

/**
 * The advisory's export row: the header, then its collections with their packages and its
 * references, all nested in one JSON object, so the child records travel with their advisory and
 * are matched by natural values (never database ids). The digest in the row must match the digest
 * of what the row says, so a row cannot claim the identity of another advisory.
 */
final class AdvisoryResource implements ContentResource<RpmAdvisory> {

    // Rows come from untrusted archives: no default typing, no coercion, no unknown fields.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private static final List<String> KEY_FIELDS = List.of("advisoryId", "digest");

    /** The row as written: everything an advisory holds, in natural values. */
    record Row(String digest, RpmAdvisory.Header header, List<AdvisoryCollection.Values> collections,
            List<AdvisoryReference.Values> references) {
    }

    @Override
    public String typeId() {
        return RpmAdvisory.TYPE;
    }

    @Override
    public Class<RpmAdvisory> entityClass() {
        return RpmAdvisory.class;
    }

    @Override
    public List<String> naturalKeyFields() {
        return KEY_FIELDS;
    }

    @Override
    public ContentKey naturalKey(RpmAdvisory unit) {
        RpmAdvisory real = (RpmAdvisory) Hibernate.unproxy(unit);
        return ContentKey.of(RpmAdvisory.TYPE, Map.of("advisoryId", real.advisoryId(), "digest", real.digest()));
    }

    @Override
    public void prepareForWrite(Session session, List<RpmAdvisory> units) {
        if (units.isEmpty()) {
            return;
        }
        List<UUID> ids = units.stream().map(RpmAdvisory::id).toList();
        // Three queries per batch, whatever its size: fetching both bags at once is refused by
        // Hibernate, and fetching per advisory would be a query per unit.
        session.createSelectionQuery("select distinct a from RpmAdvisory a left join fetch a.collections where a.id in :ids",
                RpmAdvisory.class).setParameter("ids", ids).getResultList();
        session.createSelectionQuery("select distinct c from AdvisoryCollection c left join fetch c.packages where c.advisory.id in :ids",
                AdvisoryCollection.class).setParameter("ids", ids).getResultList();
        session.createSelectionQuery("select distinct a from RpmAdvisory a left join fetch a.references where a.id in :ids",
                RpmAdvisory.class).setParameter("ids", ids).getResultList();
    }

    @Override
    public void writeRow(RpmAdvisory unit, JsonGenerator out) throws IOException {
        MAPPER.writeValue(out, new Row(unit.digest(), unit.header(),
                unit.collections().stream().map(AdvisoryCollection::values).toList(),
                unit.references().stream().map(AdvisoryReference::values).toList()));
    }

    @Override
    public RpmAdvisory readRow(ObjectNode node, RowReader reader) {
        Row row;
        try {
            row = MAPPER.treeToValue(node, Row.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, RpmAdvisory.TYPE + " row: "
                    + (e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("")));
        }
        if (row.header() == null || row.digest() == null || row.collections() == null || row.references() == null) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, RpmAdvisory.TYPE
                    + " row: digest, header, collections and references are required");
        }
        if (row.collections().contains(null) || row.references().contains(null)) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, RpmAdvisory.TYPE + " row " + Messages.cut(row.header().id())
                    + ": collections and references must be objects, not null");
        }
        RpmAdvisory advisory = new RpmAdvisory(row.header(), row.collections(), row.references());
        if (!advisory.digest().equals(row.digest())) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, RpmAdvisory.TYPE + " row " + Messages.cut(row.header().id())
                    + ": digest " + Messages.cut(row.digest()) + " does not match the advisory's content (" + advisory.digest() + ")");
        }
        return advisory;
    }
}
