package io.airlock.core.repository;

import io.airlock.core.db.Jdbc;
import io.airlock.spi.DatabaseKind;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Row locks on {@code repository_version} that keep a version from being deleted while a copy,
 * export or download reads it. A reader takes a shared lock on the version row for its
 * transaction: {@code for key share} on PostgreSQL, so readers (and updates of the row's counts)
 * do not block each other, and {@code for update} on H2, which has no shared row locks (two
 * readers of one version on H2 take turns). A deletion, under the repository's row lock, locks
 * the rows it deletes {@code for update} and the rows it rewrites (the successor's counts) for a
 * non-key update, both {@code skip locked}: what it cannot lock is being read, and it never waits
 * for a reader, so no deletion and reader deadlock.
 */
final class VersionLocks {

    private VersionLocks() {
    }

    /** Takes the reader's lock on a version row, waiting at most {@code timeout} for a deletion to end. */
    static void lockForReading(Connection connection, UUID versionId, Duration timeout, String what) throws SQLException {
        String mode = Jdbc.kindOf(connection) == DatabaseKind.POSTGRESQL ? "for key share" : "for update";
        Jdbc.lockRow(connection, "select id from repository_version where id = ? " + mode, timeout, what, versionId);
    }

    /**
     * Locks the versions {@code deleted} of a repository for deletion and {@code rewritten} for an
     * update of their counts, without waiting; returns the numbers it could not lock (being read),
     * in order. Numbers that do not exist are not reported.
     */
    static Set<Integer> lockForDeletion(Connection connection, UUID repository, Collection<Integer> deleted,
            Collection<Integer> rewritten) throws SQLException {
        boolean postgres = Jdbc.kindOf(connection) == DatabaseKind.POSTGRESQL;
        Set<Integer> held = new TreeSet<>();
        held.addAll(unlockable(connection, repository, deleted, "for update skip locked"));
        // H2 has only one kind of row lock: there a reader blocks the successor's update too.
        held.addAll(unlockable(connection, repository, rewritten, postgres ? "for no key update skip locked" : "for update skip locked"));
        return held;
    }

    /** The numbers among {@code numbers} that exist but that {@code mode} skipped as locked by another transaction. */
    private static Set<Integer> unlockable(Connection connection, UUID repository, Collection<Integer> numbers, String mode)
            throws SQLException {
        Set<Integer> missing = new TreeSet<>(numbers);
        if (missing.isEmpty()) {
            return missing;
        }
        Set<Integer> existing = numbers(connection, repository, missing, "");
        Savepoint savepoint = connection.setSavepoint();
        Set<Integer> locked;
        try {
            locked = numbers(connection, repository, missing, " " + mode);
            connection.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            connection.rollback(savepoint);
            throw e;
        }
        existing.removeAll(locked);
        return existing;
    }

    private static Set<Integer> numbers(Connection connection, UUID repository, Set<Integer> numbers, String suffix)
            throws SQLException {
        Set<Integer> found = new TreeSet<>();
        List<Integer> list = List.copyOf(numbers);
        String marks = String.join(",", java.util.Collections.nCopies(list.size(), "?"));
        try (PreparedStatement query = connection.prepareStatement("select number from repository_version where repository_id = ?"
                + " and number in (" + marks + ")" + suffix)) {
            query.setObject(1, repository);
            for (int i = 0; i < list.size(); i++) {
                query.setInt(i + 2, list.get(i));
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    found.add(rows.getInt(1));
                }
            }
        }
        return found;
    }

    /** The refusal of a deletion some of whose versions are being read. */
    static AirlockException beingRead(String repository, Set<Integer> held, String refused) {
        String versions = held.size() == 1 ? "version " + held.iterator().next() : "versions " + held.toString()
                .replaceAll("[\\[\\]]", "");
        return new AirlockException(ErrorCode.BUSY, refused + ": " + versions + " of repository '" + repository
                + "' " + (held.size() == 1 ? "is" : "are") + " being read by a copy, export or download; try again when it ends");
    }
}
