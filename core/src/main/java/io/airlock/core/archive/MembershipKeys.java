package io.airlock.core.archive;

import io.airlock.core.store.Sha256;
import io.airlock.spi.Cancellation;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The key digests of a repository version's units in ascending order, streamed from the stored
 * {@code content.key_digest} (no unit is loaded), with the sha256 and count of the keys read so far:
 * once drained, the digest a {@code membership/<n>.keys} entry of that version has
 * (docs/archive-format.md). Several can be open on one connection, for a merge.
 */
public final class MembershipKeys implements AutoCloseable {

    private static final int FETCH = 10_000;

    private final PreparedStatement query;
    private final ResultSet rows;
    private final MessageDigest digest = Sha256.newDigest();
    private final String cancelling;
    private long count;

    /** The sha256 and number of a version's keys. */
    public record Summary(String sha256, long count) {
    }

    private MembershipKeys(Connection connection, UUID repositoryId, int version, String cancelling) throws SQLException {
        this.cancelling = cancelling;
        // Walks the unique key_digest index, which is already in order, and probes membership;
        // sorting a join's result would make the database spill and merge every key.
        this.query = connection.prepareStatement("select c.key_digest from content c where exists (select 1 from repository_content rc"
                + " where rc.content_id = c.id and rc.repository_id = ? and rc.version_added <= ?"
                + " and (rc.version_removed is null or rc.version_removed > ?)) order by c.key_digest");
        try {
            query.setObject(1, repositoryId);
            query.setInt(2, version);
            query.setInt(3, version);
            query.setFetchSize(FETCH);
            this.rows = query.executeQuery();
        } catch (SQLException | RuntimeException e) {
            query.close();
            throw e;
        }
    }

    /** Opens the stream of version {@code version} of a repository; {@code cancelling} names the operation an interrupt cancels. */
    public static MembershipKeys open(Connection connection, UUID repositoryId, int version, String cancelling) throws SQLException {
        return new MembershipKeys(connection, repositoryId, version, cancelling);
    }

    /** Reads a version's keys to the end: their sha256 and count. */
    public static Summary summarize(Connection connection, UUID repositoryId, int version, String cancelling) throws SQLException {
        try (MembershipKeys keys = open(connection, repositoryId, version, cancelling)) {
            while (keys.next() != null) {
                // digested while read
            }
            return keys.summary();
        }
    }

    /** The next key (32 bytes, a new array), added to the digest; null after the last. */
    public byte[] next() throws SQLException {
        if (!rows.next()) {
            return null;
        }
        byte[] key = HexFormat.of().parseHex(rows.getString(1));
        digest.update(key);
        if (++count % FETCH == 0) {
            Cancellation.check(cancelling);
        }
        return key;
    }

    /** The sha256 and count of the keys read; call once, after the last. */
    public Summary summary() {
        return new Summary(HexFormat.of().formatHex(digest.digest()), count);
    }

    @Override
    public void close() throws SQLException {
        try {
            rows.close();
        } finally {
            query.close();
        }
    }
}
