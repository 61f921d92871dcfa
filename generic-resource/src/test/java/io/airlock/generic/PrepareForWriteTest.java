package io.airlock.generic;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.spi.ContentType;
import io.airlock.testing.TestDatabase;
import java.util.List;
import org.hibernate.Hibernate;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class PrepareForWriteTest {

    @Test
    void initializesElementCollectionsAndLazyReferencesOfTheWholeBatch() {
        try (TestDatabase db = TestDatabase.create();
                SessionFactory factory = Hibernates.start(db, SampleUnit.class, ParentUnit.class, ChildUnit.class)) {
            TestContext context = new TestContext(factory.getMetamodel());
            GenericContentResource<SampleUnit> samples = GenericContentResource.create(ContentType.of(SampleUnit.class), context);
            GenericContentResource<ChildUnit> children = GenericContentResource.create(ContentType.of(ChildUnit.class), context);
            factory.inTransaction(session -> {
                ParentUnit parent = new ParentUnit("p", null);
                parent.assignIdentity(context.resourceFor(ParentUnit.class).naturalKey(parent));
                session.persist(parent);
                for (int i = 0; i < 3; i++) {
                    SampleUnit unit = new SampleUnit("s" + i, i);
                    unit.tags.add("t" + i);
                    unit.assignIdentity(samples.naturalKey(unit));
                    session.persist(unit);
                    ChildUnit child = new ChildUnit("c" + i, parent);
                    child.assignIdentity(children.naturalKey(child));
                    session.persist(child);
                }
            });

            factory.inSession(session -> {
                List<SampleUnit> units = session.createSelectionQuery("from SampleUnit", SampleUnit.class).getResultList();
                List<ChildUnit> kids = session.createSelectionQuery("from ChildUnit", ChildUnit.class).getResultList();
                assertThat(units).allMatch(u -> !Hibernate.isInitialized(u.tags));
                assertThat(kids).allMatch(c -> !Hibernate.isInitialized(c.parent));

                samples.prepareForWrite(session, units);
                children.prepareForWrite(session, kids);

                assertThat(units).allMatch(u -> Hibernate.isInitialized(u.tags) && Hibernate.isInitialized(u.numbers)
                        && Hibernate.isInitialized(u.checksums) && Hibernate.isInitialized(u.attributes));
                assertThat(kids).allMatch(c -> Hibernate.isInitialized(c.parent));
            });
        }
    }
}
