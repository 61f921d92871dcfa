package io.airlock.core.repository;

import io.airlock.core.model.RepositoryVersion;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The condition "this membership row is in version N", in SQL for the engines' set-based JDBC
 * statements and in HQL for entity queries: a version holds every {@code repository_content} row
 * with {@code version_added ≤ N} and {@code version_removed} null or {@code > N}.
 */
public final class VersionMembership {

    private VersionMembership() {
    }

    /** The SQL condition on the {@code repository_content} row aliased {@code alias}; three parameters, bound by {@link #bind}. */
    public static String sql(String alias) {
        return alias + ".repository_id = ? and " + alias + ".version_added <= ? and (" + alias + ".version_removed is null or "
                + alias + ".version_removed > ?)";
    }

    /** Binds the parameters of one {@link #sql} condition from {@code index}; returns the next index. */
    public static int bind(PreparedStatement statement, int index, RepositoryVersion version) throws SQLException {
        statement.setObject(index, version.repositoryId());
        statement.setInt(index + 1, version.number());
        statement.setInt(index + 2, version.number());
        return index + 3;
    }

    /** The HQL condition on the {@code RepositoryContent} aliased {@code alias}, with named parameters such as {@code :r} and {@code :n}. */
    public static String hql(String alias, String repositoryParameter, String numberParameter) {
        return alias + ".key.repositoryId = " + repositoryParameter + " and " + alias + ".key.versionAdded <= " + numberParameter
                + " and (" + alias + ".versionRemoved is null or " + alias + ".versionRemoved > " + numberParameter + ")";
    }
}
