package io.airlock.spi;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import org.hibernate.Session;

/**
 * How one content type goes to and from an export: its natural key, one JSON row per unit, and
 * creation of units in bulk. Lookup of existing units by key is done by the engine for every type
 * at once through the stored key digest (see {@link Content#assignIdentity}).
 *
 * <p>Rows are written and read one at a time (JSON Lines); a resource never holds a repository.
 */
public interface ContentResource<T extends Content> {

    String typeId();

    Class<T> entityClass();

    /** Names of the natural-key fields, sorted. */
    List<String> naturalKeyFields();

    ContentKey naturalKey(T unit);

    /**
     * Loads in bulk whatever {@link #writeRow} needs beyond the unit's own row (collections,
     * sub-records) for a batch of units just read, so that writing rows makes no query per unit.
     */
    default void prepareForWrite(Session session, List<T> units) {
    }

    /** Writes one unit as a JSON object holding every field needed to recreate it. */
    void writeRow(T unit, JsonGenerator out) throws IOException;

    /**
     * Builds a new, unsaved unit from a row written by {@link #writeRow}. Refuses a row with missing,
     * unknown or mistyped fields with an {@link AirlockException} naming the field.
     */
    T readRow(ObjectNode row, RowReader reader);

    /**
     * Stores new units (their identity already assigned) and their sub-records in the session's
     * transaction. The default persists each and flushes once; the caller clears the session.
     */
    default void insertAll(Session session, List<T> units) {
        for (T unit : units) {
            session.persist(unit);
        }
        session.flush();
    }

    /**
     * The digest {@code unit} records of its own file, which every file linked to it must have
     * (a file's sha256, an RPM package's pkgId with its checksum type); empty (the default) when the
     * type records none. Import refuses a link whose file does not match it, and fills an on-demand
     * file of a unit already in the installation only when the type has one. For a type whose
     * units have several files with different digests, return empty.
     */
    default java.util.Optional<FileDigest> fileDigest(T unit) {
        return java.util.Optional.empty();
    }

    /** Types are imported in ascending order, so a type referring to another comes after it. */
    default int importOrder() {
        return 0;
    }

    /** Resolves references to other units while rows are read. */
    interface RowReader {
        /**
         * A reference to the stored unit with this natural key, which must already exist (imported
         * earlier in the same run, or present before); throws {@link AirlockException} otherwise.
         */
        <C extends Content> C reference(Class<C> contentClass, ContentKey key);
    }
}
