package io.airlock.spi.copy;

import io.airlock.spi.Content;
import java.util.List;
import java.util.function.Consumer;

/** Read access to the content of one repository version. */
public interface VersionContent {

    String repository();

    int version();

    /** Every unit of {@code type} in this version, in batches ordered by id; units are detached after each batch. */
    <T extends Content> void scan(Class<T> type, int batchSize, Consumer<List<T>> batches);
}
