package io.airlock.generic;

import io.airlock.spi.Content;
import io.airlock.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.SessionFactory;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.hibernate.tool.schema.Action;

/** Starts Hibernate on a test database with the given entity classes (plus {@link Content}). */
final class Hibernates {

    private Hibernates() {
    }

    static SessionFactory start(TestDatabase db, Class<?>... entities) {
        List<Class<?>> classes = new ArrayList<>();
        classes.add(Content.class);
        classes.addAll(List.of(entities));
        return new HibernatePersistenceConfiguration("test")
                .managedClasses(classes)
                .jdbcUrl(db.url())
                .jdbcCredentials(db.user(), db.password())
                .schemaToolingAction(Action.CREATE_DROP)
                .property("hibernate.connection.pool_size", 2)
                // embeddables used twice in one entity need their path in the column names
                .property("hibernate.implicit_naming_strategy", "component-path")
                .createEntityManagerFactory();
    }
}
