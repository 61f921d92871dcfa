package io.airlock.generic;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.spi.ContentKey;
import io.airlock.spi.ContentType;
import io.airlock.testing.TestDatabase;
import java.time.Instant;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class NaturalKeyTest {

    @Test
    void naturalKeyFieldsAreSortedByName() {
        try (TestDatabase db = TestDatabase.create(); SessionFactory factory = Hibernates.start(db, ParentUnit.class)) {
            GenericContentResource<ParentUnit> resource = GenericContentResource.create(ContentType.of(ParentUnit.class),
                    new TestContext(factory.getMetamodel()));

            assertThat(resource.naturalKeyFields()).containsExactly("created", "name");
            assertThat(resource.typeId()).isEqualTo("test.parent");
            assertThat(resource.entityClass()).isEqualTo(ParentUnit.class);
        }
    }

    @Test
    void naturalKeyHoldsTheTypeAndCanonicalFieldValues() {
        try (TestDatabase db = TestDatabase.create(); SessionFactory factory = Hibernates.start(db, SampleUnit.class)) {
            GenericContentResource<SampleUnit> resource = GenericContentResource.create(ContentType.of(SampleUnit.class),
                    new TestContext(factory.getMetamodel()));

            ContentKey key = resource.naturalKey(new SampleUnit("alpha", 3));

            assertThat(key.type()).isEqualTo("test.sample");
            assertThat(key.canonicalText()).isEqualTo("[\"test.sample\",[\"name\",\"alpha\"],[\"version\",3]]");
        }
    }

    @Test
    void equalKeysHaveEqualDigestsAcrossDatabases() {
        Instant created = Instant.parse("2024-03-04T05:06:07.890Z");
        try (TestDatabase a = TestDatabase.create(); TestDatabase b = TestDatabase.create();
                SessionFactory first = Hibernates.start(a, ParentUnit.class);
                SessionFactory second = Hibernates.start(b, ParentUnit.class)) {
            GenericContentResource<ParentUnit> one = GenericContentResource.create(ContentType.of(ParentUnit.class),
                    new TestContext(first.getMetamodel()));
            GenericContentResource<ParentUnit> other = GenericContentResource.create(ContentType.of(ParentUnit.class),
                    new TestContext(second.getMetamodel()));
            first.inTransaction(session -> {
                ParentUnit unit = new ParentUnit("p", created);
                unit.assignIdentity(one.naturalKey(unit));
                session.persist(unit);
            });
            String stored = first.fromSession(session -> session.createSelectionQuery("from ParentUnit", ParentUnit.class)
                    .getSingleResult().keyDigest());

            ParentUnit imported = other.readRow(Rows.parse(Rows.write(one, new ParentUnit("p", created))),
                    TestContext.NO_REFERENCES);

            assertThat(other.naturalKey(imported).digest()).isEqualTo(stored);
            assertThat(other.naturalKey(new ParentUnit("q", created)).digest()).isNotEqualTo(stored);
        }
    }
}
