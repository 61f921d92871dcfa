package io.airlock.plugin.rpm.publish;

import io.airlock.core.Airlock;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.repository.VersionMembership;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Content;
import io.airlock.spi.ErrorCode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.hibernate.Session;
import org.hibernate.ScrollMode;
import org.hibernate.ScrollableResults;

/**
 * Reads the units of one type in a version in batches, ordered by natural attributes (then id), so
 * that a publication lists them in the same order whatever their ids. One query streams the ids in
 * that order (narrow rows, fetched a batch at a time); each batch of units is then loaded by id
 * through a session sharing the caller's connection, cleared after each batch, so memory holds one
 * batch whatever the version's size.
 */
final class OrderedScan {

    private final Airlock airlock;
    private final Session session;
    private final RepositoryVersion version;

    OrderedScan(Airlock airlock, Session session, RepositoryVersion version) {
        this.airlock = airlock;
        this.session = session;
        this.version = version;
    }

    private String entity(Class<?> type) {
        return airlock.sessionFactory().getMetamodel().entity(type).getName();
    }

    /** How many units of each content type the version holds (types it lacks are absent), in one query. */
    Map<String, Long> counts() {
        session.flush();
        return session.doReturningWork(connection -> {
            Map<String, Long> counts = new HashMap<>();
            try (PreparedStatement statement = connection.prepareStatement("select c.content_type, count(*) from repository_content rc"
                    + " join content c on c.id = rc.content_id where " + VersionMembership.sql("rc") + " group by c.content_type")) {
                VersionMembership.bind(statement, 1, version);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        counts.put(rows.getString(1), rows.getLong(2));
                    }
                }
            }
            return counts;
        });
    }

    /**
     * Calls {@code batches} with the units of {@code type}, ordered by the attributes {@code order}
     * (then id), at most {@code batchSize} at a time, and the session they are managed by.
     */
    <T extends Content> void scan(Class<T> type, List<String> order, int batchSize, BiConsumer<Session, List<T>> batches) {
        String entity = entity(type);
        StringBuilder orderBy = new StringBuilder(" order by ");
        for (String attribute : order) {
            orderBy.append("c.").append(attribute).append(", ");
        }
        orderBy.append("c.id");
        String ids = "select c.id from RepositoryContent rc join " + entity + " c on c.id = rc.key.contentId where "
                + VersionMembership.hql("rc", ":r", ":n") + orderBy;
        String units = "from " + entity + " c where c.id in :ids";
        session.flush();
        try (Session reader = session.sessionWithOptions().connection().openSession()) {
            reader.setDefaultReadOnly(true);
            List<UUID> pending = new ArrayList<>(batchSize);
            try (ScrollableResults<UUID> scroll = reader.createSelectionQuery(ids, UUID.class)
                    .setParameter("r", version.repositoryId())
                    .setParameter("n", version.number())
                    .setFetchSize(batchSize)
                    .scroll(ScrollMode.FORWARD_ONLY)) {
                while (scroll.next()) {
                    pending.add(scroll.get());
                    if (pending.size() == batchSize) {
                        load(reader, type, units, pending, batches);
                    }
                }
            }
            load(reader, type, units, pending, batches);
        }
    }

    /** Loads the units {@code ids} names, hands them on in that order, and clears the reader and the list. */
    private static <T extends Content> void load(Session reader, Class<T> type, String query, List<UUID> ids,
            BiConsumer<Session, List<T>> batches) {
        if (ids.isEmpty()) {
            return;
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new AirlockException(ErrorCode.CANCELLED, "publication cancelled");
        }
        Map<UUID, T> byId = new HashMap<>();
        for (T unit : reader.createSelectionQuery(query, type).setParameter("ids", ids).getResultList()) {
            byId.put(unit.id(), unit);
        }
        List<T> batch = new ArrayList<>(ids.size());
        ids.forEach(id -> batch.add(byId.get(id)));
        batches.accept(reader, batch);
        reader.clear();
        ids.clear();
    }
}
