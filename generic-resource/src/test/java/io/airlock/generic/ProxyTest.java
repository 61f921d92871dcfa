package io.airlock.generic;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.spi.ContentResource;
import io.airlock.testing.TestDatabase;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.Hibernate;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A unit reached through a lazy reference is a Hibernate proxy; it must still say who it is. */
@Tag("persistence")
final class ProxyTest {

    @Test
    void aLazyReferenceProxyHasItsUnitsIdDigestTypeAndEquality() {
        try (TestDatabase db = TestDatabase.create(); SessionFactory factory = Hibernates.start(db, ParentUnit.class, ChildUnit.class)) {
            TestContext context = new TestContext(factory.getMetamodel());
            ContentResource<ParentUnit> parents = context.resourceFor(ParentUnit.class);
            ContentResource<ChildUnit> children = context.resourceFor(ChildUnit.class);
            ParentUnit stored = new ParentUnit("p1", Instant.parse("2024-03-04T05:06:07Z"));
            factory.inTransaction(session -> {
                stored.assignIdentity(parents.naturalKey(stored));
                session.persist(stored);
                ChildUnit child = new ChildUnit("c1", stored);
                child.assignIdentity(children.naturalKey(child));
                session.persist(child);
            });
            UUID storedId = stored.id();

            factory.inSession(session -> {
                ParentUnit proxy = session.createSelectionQuery("from ChildUnit", ChildUnit.class).getSingleResult().parent;
                assertThat(Hibernate.isInitialized(proxy)).as("a lazy proxy").isFalse();

                assertThat(proxy.id()).isEqualTo(storedId);
                assertThat(proxy.keyDigest()).isEqualTo(stored.keyDigest());
                assertThat(proxy.typeId()).isEqualTo("test.parent");
                ParentUnit loadedElsewhere = factory.fromSession(other -> other.find(ParentUnit.class, storedId));
                assertThat(proxy).isEqualTo(loadedElsewhere).hasSameHashCodeAs(loadedElsewhere);
                assertThat(loadedElsewhere).isEqualTo(proxy);
            });
        }
    }
}
