package io.airlock.core.copy;

import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.repository.Repositories;
import io.airlock.spi.Content;
import io.airlock.spi.copy.VersionContent;
import java.util.List;
import java.util.function.Consumer;
import org.hibernate.Session;

/** A repository version as a copy policy reads it, inside the copy's transaction. */
final class VersionView implements VersionContent {

    private final Repositories repositories;
    private final Session session;
    private final String repository;
    private final RepositoryVersion version;

    VersionView(Repositories repositories, Session session, String repository, RepositoryVersion version) {
        this.repositories = repositories;
        this.session = session;
        this.repository = repository;
        this.version = version;
    }

    RepositoryVersion model() {
        return version;
    }

    @Override
    public String repository() {
        return repository;
    }

    @Override
    public int version() {
        return version.number();
    }

    @Override
    public <T extends Content> void scan(Class<T> type, int batchSize, Consumer<List<T>> batches) {
        repositories.scanContent(session, version, type, batchSize, batches);
    }

    @Override
    public String toString() {
        return repository + "@" + version.number();
    }
}
