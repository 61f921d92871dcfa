package io.airlock.core.repository;

import static io.airlock.core.repository.VersionDraft.update;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Deletes versions of a repository whose row lock the caller holds, as Pulp squashes them: the next
 * version keeps its content. Membership rows only ever name versions that exist, so deleting
 * version N with successor M (and predecessor P, if any):
 * <ul>
 * <li>rows added at N and removed at M (only ever in N) go;</li>
 * <li>a row removed at N whose unit re-entered at M absorbs that row (the unit stayed from P to M);</li>
 * <li>other rows removed at N are removed at M; rows added at N are added at M;</li>
 * <li>M's added and removed counts are recounted against P; versions built on N lose their base.</li>
 * </ul>
 * Other versions' numbers and content do not change. Set-based SQL over the repository's rows (the
 * conditions on {@code version_removed} have no index of their own, which every version commit
 * would pay for).
 */
final class VersionDeletion {

    private VersionDeletion() {
    }

    /** The version after {@code number}, which exists and is not the latest. */
    static int successor(Connection connection, UUID repository, int number) throws SQLException {
        return neighbour(connection, "select min(number) from repository_version where repository_id = ? and number > ?",
                repository, number);
    }

    /** Deletes version {@code number}, which exists and is not the latest. */
    static void delete(Connection connection, UUID repository, int number) throws SQLException {
        int next = successor(connection, repository, number);
        update(connection, "delete from repository_content where repository_id = ? and version_added = ? and version_removed = ?",
                repository, number, next);
        // A unit removed at N and added again at M: the older row takes over the newer row's end.
        update(connection, """
                update repository_content set version_removed = (
                       select n.version_removed from repository_content n
                        where n.repository_id = repository_content.repository_id
                          and n.content_id = repository_content.content_id and n.version_added = ?)
                 where repository_id = ? and version_removed = ?
                   and exists (select 1 from repository_content n
                                where n.repository_id = repository_content.repository_id
                                  and n.content_id = repository_content.content_id and n.version_added = ?)""",
                next, repository, number, next);
        update(connection, """
                delete from repository_content
                 where repository_id = ? and version_added = ?
                   and exists (select 1 from repository_content o
                                where o.repository_id = repository_content.repository_id
                                  and o.content_id = repository_content.content_id and o.version_added < ?
                                  and (o.version_removed is null or o.version_removed > ?))""",
                repository, next, next, next);
        update(connection, "update repository_content set version_removed = ? where repository_id = ? and version_removed = ?",
                next, repository, number);
        update(connection, "update repository_content set version_added = ? where repository_id = ? and version_added = ?",
                next, repository, number);
        update(connection, """
                update repository_version
                   set added_count = (select count(*) from repository_content
                                       where repository_id = ? and version_added = ?),
                       removed_count = (select count(*) from repository_content
                                         where repository_id = ? and version_removed = ?)
                 where repository_id = ? and number = ?""",
                repository, next, repository, next, repository, next);
        update(connection, "update repository_version set base_number = null where repository_id = ? and base_number = ?",
                repository, number);
        update(connection, "delete from repository_version where repository_id = ? and number = ?", repository, number);
    }

    /**
     * Deletes the oldest versions until {@code keep} remain; the numbers deleted, oldest first. A
     * version being read (by a copy, export or download, see {@link VersionLocks}), or whose
     * successor is being read on H2, is skipped without waiting: it stays until a later version's
     * retention finds it free, so a reader is never failed and retention never waits for one.
     */
    static List<Integer> retain(Connection connection, UUID repository, int keep) throws SQLException {
        List<Integer> numbers = numbers(connection, repository);
        List<Integer> candidates = List.copyOf(numbers.subList(0, Math.max(0, numbers.size() - keep)));
        List<Integer> deleted = new ArrayList<>();
        for (int number : candidates) {
            if (VersionLocks.lockForDeletion(connection, repository, List.of(number),
                    List.of(successor(connection, repository, number))).isEmpty()) {
                delete(connection, repository, number);
                deleted.add(number);
            }
        }
        return deleted;
    }

    /** The repository's version numbers, oldest first. */
    static List<Integer> numbers(Connection connection, UUID repository) throws SQLException {
        List<Integer> numbers = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "select number from repository_version where repository_id = ? order by number")) {
            query.setObject(1, repository);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    numbers.add(rows.getInt(1));
                }
            }
        }
        return numbers;
    }

    private static int neighbour(Connection connection, String sql, UUID repository, int number) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setObject(1, repository);
            query.setInt(2, number);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                int found = rows.getInt(1);
                if (rows.wasNull()) {
                    throw new IllegalStateException("version " + number + " has no successor");
                }
                return found;
            }
        }
    }
}
