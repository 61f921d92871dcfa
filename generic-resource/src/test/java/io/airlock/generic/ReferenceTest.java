package io.airlock.generic;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.spi.ContentResource;
import io.airlock.testing.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class ReferenceTest {

    private static final Instant CREATED = Instant.parse("2024-03-04T05:06:07Z");

    @Test
    void manyToOneIsWrittenAsTheTargetsNaturalKeyAndResolvedOnImport() {
        try (TestDatabase a = TestDatabase.create(); TestDatabase b = TestDatabase.create()) {
            List<String> parentRows = new ArrayList<>();
            List<String> childRows = new ArrayList<>();
            try (SessionFactory source = Hibernates.start(a, ParentUnit.class, ChildUnit.class)) {
                TestContext context = new TestContext(source.getMetamodel());
                ContentResource<ParentUnit> parents = context.resourceFor(ParentUnit.class);
                ContentResource<ChildUnit> children = context.resourceFor(ChildUnit.class);
                source.inTransaction(session -> {
                    ParentUnit parent = new ParentUnit("p1", CREATED);
                    parent.assignIdentity(parents.naturalKey(parent));
                    session.persist(parent);
                    for (ChildUnit child : List.of(new ChildUnit("c1", parent), new ChildUnit("orphan", null))) {
                        child.assignIdentity(children.naturalKey(child));
                        session.persist(child);
                    }
                });
                source.inSession(session -> {
                    parentRows.add(Rows.write(parents, session.createSelectionQuery("from ParentUnit", ParentUnit.class)
                            .getSingleResult()));
                    List<ChildUnit> units = session.createSelectionQuery("from ChildUnit order by name", ChildUnit.class)
                            .getResultList();
                    children.prepareForWrite(session, units);
                    units.forEach(unit -> childRows.add(Rows.write(children, unit)));
                });
            }
            assertThat(childRows).containsExactly(
                    "{\"name\":\"c1\",\"parent\":{\"created\":\"2024-03-04T05:06:07Z\",\"name\":\"p1\"}}",
                    "{\"name\":\"orphan\",\"parent\":null}");

            try (SessionFactory target = Hibernates.start(b, ParentUnit.class, ChildUnit.class)) {
                TestContext context = new TestContext(target.getMetamodel());
                ContentResource<ParentUnit> parents = context.resourceFor(ParentUnit.class);
                ContentResource<ChildUnit> children = context.resourceFor(ChildUnit.class);
                target.inTransaction(session -> {
                    ParentUnit parent = parents.readRow(Rows.parse(parentRows.get(0)), TestContext.NO_REFERENCES);
                    parent.assignIdentity(parents.naturalKey(parent));
                    parents.insertAll(session, List.of(parent));
                    List<ChildUnit> units = new ArrayList<>();
                    for (String row : childRows) {
                        ChildUnit child = children.readRow(Rows.parse(row), TestContext.rowReader(session));
                        child.assignIdentity(children.naturalKey(child));
                        units.add(child);
                    }
                    children.insertAll(session, units);
                });
                target.inSession(session -> {
                    List<ChildUnit> units = session.createSelectionQuery(
                            "from ChildUnit c left join fetch c.parent order by c.name", ChildUnit.class).getResultList();
                    assertThat(units).extracting(c -> c.name).containsExactly("c1", "orphan");
                    assertThat(units.get(0).parent).isNotNull();
                    assertThat(units.get(0).parent.name).isEqualTo("p1");
                    assertThat(units.get(0).parent.created).isEqualTo(CREATED);
                    assertThat(units.get(1).parent).isNull();
                });
            }
        }
    }
}
