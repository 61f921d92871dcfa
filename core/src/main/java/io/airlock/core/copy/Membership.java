package io.airlock.core.copy;

import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.repository.VersionMembership;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.hibernate.Session;

/**
 * Set-based reads of version membership for the copy engine, in the caller's transaction: whole
 * lists of names or ids go to the database in chunks, never one query per unit.
 */
final class Membership {

    /** Names or ids per query. */
    static final int CHUNK = 500;

    /** The content ids of a version, as a one-column select for {@code VersionDraft.addSelected}: repository, number, number. */
    static final String MEMBER_IDS = "select rc.content_id as id from repository_content rc where " + VersionMembership.sql("rc");

    private Membership() {
    }

    /** A unit as the result shows it. */
    record Unit(UUID id, String type, String label) {
    }

    /** The ids of the units of {@code type} in a version with these labels, by label; absent labels are missing. */
    static Map<String, UUID> findByLabel(Session session, RepositoryVersion version, String type, Collection<String> labels) {
        Map<String, UUID> found = new HashMap<>();
        List<String> all = new ArrayList<>(labels);
        session.doWork(connection -> {
            for (int from = 0; from < all.size(); from += CHUNK) {
                CopyRun.checkCancelled();
                List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
                String sql = "select c.label, c.id from content c join repository_content rc on rc.content_id = c.id"
                        + " where " + VersionMembership.sql("rc")
                        + " and c.content_type = ? and c.label in (" + placeholders(chunk.size()) + ")";
                try (PreparedStatement query = connection.prepareStatement(sql)) {
                    int p = VersionMembership.bind(query, 1, version);
                    query.setString(p++, type);
                    for (String label : chunk) {
                        query.setString(p++, label);
                    }
                    try (ResultSet rows = query.executeQuery()) {
                        while (rows.next()) {
                            found.put(rows.getString(1), rows.getObject(2, UUID.class));
                        }
                    }
                }
            }
        });
        return found;
    }

    /** Which of these ids are in a version. */
    static Set<UUID> present(Session session, RepositoryVersion version, Collection<UUID> ids) {
        Set<UUID> present = new HashSet<>();
        List<UUID> all = new ArrayList<>(ids);
        session.flush();
        session.doWork(connection -> {
            for (int from = 0; from < all.size(); from += CHUNK) {
                CopyRun.checkCancelled();
                List<UUID> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
                String sql = "select rc.content_id from repository_content rc where " + VersionMembership.sql("rc")
                        + " and rc.content_id in (" + placeholders(chunk.size()) + ")";
                try (PreparedStatement query = connection.prepareStatement(sql)) {
                    int p = VersionMembership.bind(query, 1, version);
                    for (UUID id : chunk) {
                        query.setObject(p++, id);
                    }
                    try (ResultSet rows = query.executeQuery()) {
                        while (rows.next()) {
                            present.add(rows.getObject(1, UUID.class));
                        }
                    }
                }
            }
        });
        return present;
    }

    /** Streams the units of {@code in} that {@code notIn} lacks (id, type, label only: no entities are loaded). */
    static void scanMissing(Session session, RepositoryVersion in, RepositoryVersion notIn, Consumer<Unit> units) {
        session.flush();
        session.doWork(connection -> scanMissing(connection, in, notIn, units));
    }

    private static void scanMissing(Connection connection, RepositoryVersion in, RepositoryVersion notIn, Consumer<Unit> units)
            throws SQLException {
        String sql = "select c.id, c.content_type, c.label from repository_content rc join content c on c.id = rc.content_id"
                + " where " + VersionMembership.sql("rc")
                + " and not exists (select 1 from repository_content d where " + VersionMembership.sql("d")
                + " and d.content_id = rc.content_id)";
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setFetchSize(1000);
            int p = VersionMembership.bind(query, 1, in);
            VersionMembership.bind(query, p, notIn);
            try (ResultSet rows = query.executeQuery()) {
                long read = 0;
                while (rows.next()) {
                    if (++read % CHUNK == 0) {
                        CopyRun.checkCancelled();
                    }
                    units.accept(new Unit(rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3)));
                }
            }
        }
    }

    private static String placeholders(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }
}
