package io.airlock.core;

import io.airlock.spi.Content;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Removes content, artifact rows and stored files that nothing references any more. */
public final class OrphanCleanup {

    private static final int BATCH = 500;

    private final Airlock airlock;

    OrphanCleanup(Airlock airlock) {
        this.airlock = airlock;
    }

    /** How many of each kind were removed. */
    public record Result(long content, long artifactRows, long files) {
    }

    Result run(Duration grace) {
        long content = 0;
        while (true) {
            // Through the entity manager, so joined tables, element collections and a plugin's
            // cascaded sub-records go with each unit.
            int removed = airlock.inTransaction(session -> {
                List<Content> orphans = session.createSelectionQuery("""
                        from Content c where not exists (select 1 from RepositoryContent rc where rc.key.contentId = c.id)""",
                        Content.class).setMaxResults(BATCH).getResultList();
                if (orphans.isEmpty()) {
                    return 0;
                }
                List<UUID> ids = orphans.stream().map(Content::id).toList();
                session.createMutationQuery("delete from ContentArtifact where contentId in :ids")
                        .setParameter("ids", ids).executeUpdate();
                orphans.forEach(session::remove);
                return orphans.size();
            });
            content += removed;
            if (removed < BATCH) {
                break;
            }
        }
        long artifactRows = airlock.inTransaction(session -> (long) session.createMutationQuery("""
                delete from Artifact a where not exists (select 1 from ContentArtifact ca where ca.artifactId = a.id)""")
                .executeUpdate());
        long files = removeUnreferencedFiles(Instant.now().minus(grace));
        return new Result(content, artifactRows, files);
    }

    private long removeUnreferencedFiles(Instant olderThan) {
        List<String> candidates = new ArrayList<>();
        long[] removed = {0};
        airlock.artifacts().forEach(olderThan, sha256 -> {
            candidates.add(sha256);
            if (candidates.size() == BATCH) {
                removed[0] += removeUnreferenced(candidates);
                candidates.clear();
            }
        });
        removed[0] += removeUnreferenced(candidates);
        return removed[0];
    }

    private long removeUnreferenced(List<String> sha256s) {
        if (sha256s.isEmpty()) {
            return 0;
        }
        Set<String> referenced = airlock.inTransaction(session -> session.doReturningWork(connection -> {
            Set<String> found = new HashSet<>();
            String placeholders = String.join(",", java.util.Collections.nCopies(sha256s.size(), "?"));
            try (PreparedStatement query = connection.prepareStatement(
                    "select sha256 from artifact where sha256 in (" + placeholders + ")")) {
                for (int i = 0; i < sha256s.size(); i++) {
                    query.setString(i + 1, sha256s.get(i));
                }
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        found.add(rows.getString(1));
                    }
                }
            }
            return found;
        }));
        long removed = 0;
        for (String sha256 : sha256s) {
            if (!referenced.contains(sha256)) {
                airlock.artifacts().delete(sha256);
                removed++;
            }
        }
        return removed;
    }
}
