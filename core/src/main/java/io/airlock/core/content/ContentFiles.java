package io.airlock.core.content;

import io.airlock.core.content.ContentWriter.UnitFile;
import io.airlock.core.store.StoredArtifact;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;

/** Reads the files (content–artifact links) of many units in one query per batch. */
public final class ContentFiles {

    private ContentFiles() {
    }

    /** The files of each unit, by unit id, ordered by relative path; units without files are absent. */
    public static Map<UUID, List<UnitFile>> of(Session session, Collection<UUID> contentIds) {
        Map<UUID, List<UnitFile>> files = new HashMap<>();
        if (contentIds.isEmpty()) {
            return files;
        }
        // By index: a batch of an export right after a large sync otherwise scanned both tables whole (no statistics yet).
        List<Object[]> rows = io.airlock.core.db.Jdbc.preferringIndexes(session, () -> session.createSelectionQuery("""
                        select ca.contentId, ca.relativePath, a.sha256, a.size
                          from ContentArtifact ca left join Artifact a on a.id = ca.artifactId
                         where ca.contentId in :ids order by ca.contentId, ca.relativePath""", Object[].class)
                .setParameter("ids", contentIds)
                .getResultList());
        for (Object[] row : rows) {
            add(files, (UUID) row[0], (String) row[1], (String) row[2], row[3] == null ? 0 : (Long) row[3]);
        }
        return files;
    }

    /**
     * Adds a link row, read in unit then path order, to {@code files}: the unit's file at
     * {@code relativePath}, whose artifact has {@code sha256} and {@code size}, or none yet (an
     * on-demand file) when {@code sha256} is null.
     */
    public static void add(Map<UUID, List<UnitFile>> files, UUID contentId, String relativePath, String sha256, long size) {
        Optional<StoredArtifact> artifact = sha256 == null ? Optional.empty() : Optional.of(new StoredArtifact(sha256, size));
        files.computeIfAbsent(contentId, id -> new java.util.ArrayList<>()).add(new UnitFile(relativePath, artifact));
    }
}
