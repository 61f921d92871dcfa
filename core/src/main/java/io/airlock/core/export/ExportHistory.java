package io.airlock.core.export;

import io.airlock.core.Airlock;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.util.List;
import java.util.Optional;

/** The exports named exporters made, one entry per exported repository version; and forgetting an exporter. */
public final class ExportHistory {

    private final Airlock airlock;

    public ExportHistory(Airlock airlock) {
        this.airlock = airlock;
    }

    /** One repository version of one export. */
    public record Entry(ExportRecord record, String repository) {
    }

    /** The recorded exports, oldest first, of one exporter when given. */
    public List<Entry> list(Optional<String> exporter) {
        return airlock.inTransaction(session -> {
            var query = session.createSelectionQuery("select e, r.name from ExportRecord e join Repository r on r.id = e.repositoryId"
                    + (exporter.isPresent() ? " where e.exporter = :e" : "")
                    + " order by e.created, e.exportName, r.name", Object[].class);
            exporter.ifPresent(e -> query.setParameter("e", e));
            return query.getResultList().stream().map(row -> new Entry((ExportRecord) row[0], (String) row[1])).toList();
        });
    }

    /**
     * Removes every record of {@code exporter}: its next incremental export is refused until it
     * makes a full one. Returns how many records went; {@code NOT_FOUND} when it has none.
     */
    public int forget(String exporter) {
        return airlock.inTransaction(session -> {
            int removed = session.createMutationQuery("delete from ExportRecord where exporter = :e")
                    .setParameter("e", exporter)
                    .executeUpdate();
            if (removed == 0) {
                throw new AirlockException(ErrorCode.NOT_FOUND, "exporter '" + exporter + "' has no recorded exports");
            }
            return removed;
        });
    }
}
