package io.airlock.plugin.rpm.publish;

import io.airlock.core.Airlock;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.repository.VersionMembership;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Content;
import io.airlock.spi.ErrorCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.hibernate.Session;
import org.hibernate.query.SelectionQuery;

/**
 * Reads the units of one type in a version in batches, ordered by natural attributes (then id), so
 * that a publication lists them in the same order whatever their ids. Each batch takes two queries:
 * the next ids past the last one seen (keyset, narrow rows) and the units by id; the units are read
 * through a session sharing the caller's connection and cleared after each batch, so memory holds
 * one batch whatever the version's size.
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

    /** How many units of {@code type} the version holds. */
    long count(Class<? extends Content> type) {
        return session.createSelectionQuery("select count(*) from RepositoryContent rc join " + entity(type)
                        + " c on c.id = rc.key.contentId where " + VersionMembership.hql("rc", ":r", ":n"), Long.class)
                .setParameter("r", version.repositoryId())
                .setParameter("n", version.number())
                .getSingleResult();
    }

    /**
     * Calls {@code batches} with the units of {@code type}, ordered by the attributes {@code order}
     * (which must not be null), at most {@code batchSize} at a time, and the session they are managed by.
     */
    <T extends Content> void scan(Class<T> type, List<String> order, int batchSize, BiConsumer<Session, List<T>> batches) {
        String entity = entity(type);
        List<String> keys = new ArrayList<>(order);
        keys.add("id");
        StringBuilder select = new StringBuilder("select ");
        StringBuilder orderBy = new StringBuilder(" order by ");
        for (int i = 0; i < keys.size(); i++) {
            select.append(i == 0 ? "" : ", ").append("c.").append(keys.get(i));
            orderBy.append(i == 0 ? "" : ", ").append("c.").append(keys.get(i));
        }
        String from = " from RepositoryContent rc join " + entity + " c on c.id = rc.key.contentId where "
                + VersionMembership.hql("rc", ":r", ":n");
        String first = select + from + orderBy;
        String next = select + from + " and (" + after(keys) + ")" + orderBy;
        session.flush();
        try (Session reader = session.sessionWithOptions().connection().openSession()) {
            reader.setDefaultReadOnly(true);
            Object[] last = null;
            while (true) {
                SelectionQuery<Object[]> query = reader.createSelectionQuery(last == null ? first : next, Object[].class)
                        .setParameter("r", version.repositoryId())
                        .setParameter("n", version.number())
                        .setMaxResults(batchSize);
                if (last != null) {
                    for (int i = 0; i < keys.size(); i++) {
                        query.setParameter("k" + i, last[i]);
                    }
                }
                List<Object[]> rows = query.getResultList();
                if (rows.isEmpty()) {
                    break;
                }
                List<UUID> ids = rows.stream().map(row -> (UUID) row[keys.size() - 1]).toList();
                Map<UUID, T> byId = new HashMap<>();
                for (T unit : reader.createSelectionQuery("from " + entity + " c where c.id in :ids", type)
                        .setParameter("ids", ids).getResultList()) {
                    byId.put(unit.id(), unit);
                }
                List<T> batch = new ArrayList<>(ids.size());
                ids.forEach(id -> batch.add(byId.get(id)));
                batches.accept(reader, batch);
                reader.clear();
                last = rows.get(rows.size() - 1);
                if (rows.size() < batchSize) {
                    break;
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new AirlockException(ErrorCode.CANCELLED, "cancelled while reading version " + version.number());
                }
            }
        }
    }

    /** {@code (k0 > :k0) or (k0 = :k0 and k1 > :k1) or …}: rows after the last one in the order of {@code keys}. */
    private static String after(List<String> keys) {
        StringBuilder or = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) {
            or.append(i == 0 ? "(" : " or (");
            for (int j = 0; j < i; j++) {
                or.append("c.").append(keys.get(j)).append(" = :k").append(j).append(" and ");
            }
            or.append("c.").append(keys.get(i)).append(" > :k").append(i).append(')');
        }
        return or.toString();
    }
}
