package io.airlock.generic;

import io.airlock.spi.AirlockException;
import io.airlock.spi.Content;
import io.airlock.spi.ContentKey;
import io.airlock.spi.ContentResource;
import io.airlock.spi.ContentResource.RowReader;
import io.airlock.spi.ContentType;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ResourceContext;
import jakarta.persistence.metamodel.Metamodel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hibernate.Session;

/** A resource context serving generic resources for every content class, as core would. */
final class TestContext implements ResourceContext {

    private final Metamodel metamodel;
    private final Map<Class<?>, ContentResource<?>> resources = new ConcurrentHashMap<>();

    TestContext(Metamodel metamodel) {
        this.metamodel = metamodel;
    }

    @Override
    public Metamodel metamodel() {
        return metamodel;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <C extends Content> ContentResource<C> resourceFor(Class<C> contentClass) {
        return (ContentResource<C>) resources.computeIfAbsent(contentClass,
                c -> GenericContentResource.create(ContentType.of(contentClass), this));
    }

    /** Resolves references like the import engine: by key digest on the base content row. */
    static RowReader rowReader(Session session) {
        return new RowReader() {
            @Override
            public <C extends Content> C reference(Class<C> contentClass, ContentKey key) {
                return session.createSelectionQuery("from Content c where c.keyDigest = :digest", Content.class)
                        .setParameter("digest", key.digest())
                        .uniqueResultOptional()
                        .filter(contentClass::isInstance)
                        .map(contentClass::cast)
                        .orElseThrow(() -> new AirlockException(ErrorCode.NOT_FOUND, "no unit with key " + key.canonicalText()));
            }
        };
    }

    /** For rows that must not refer to anything. */
    static final RowReader NO_REFERENCES = new RowReader() {
        @Override
        public <C extends Content> C reference(Class<C> contentClass, ContentKey key) {
            throw new AssertionError("unexpected reference to " + key.canonicalText());
        }
    };
}
