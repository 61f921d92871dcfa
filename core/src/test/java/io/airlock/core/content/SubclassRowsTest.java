package io.airlock.core.content;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.core.Airlock;
import io.airlock.core.TestInstallations;
import io.airlock.core.Widget;
import io.airlock.core.imports.PythonDistribution;
import io.airlock.core.imports.PythonPlugin;
import io.airlock.testing.TestDatabase;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class SubclassRowsTest {

    @Test
    void aTypeOfPlainColumnsInOneTableGetsAJdbcInsert() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            assertThat(SubclassRows.of(factory(airlock), Widget.class)).isPresent();
        }
    }

    @Test
    void aTypeWithAReferenceIsLeftToTheOrm() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, new PythonPlugin())) {
            assertThat(SubclassRows.of(factory(airlock), PythonDistribution.class)).isEmpty();
        }
    }

    private static SessionFactoryImplementor factory(Airlock airlock) {
        return airlock.sessionFactory().unwrap(SessionFactoryImplementor.class);
    }
}
