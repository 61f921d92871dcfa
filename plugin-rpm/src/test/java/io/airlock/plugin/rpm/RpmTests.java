package io.airlock.plugin.rpm;

import io.airlock.core.Airlock;
import io.airlock.testing.TestDatabase;

/** Opening an installation with the RPM plugin over a test database. */
final class RpmTests {

    private RpmTests() {
    }

    static Airlock open(TestDatabase db) {
        return open(db, "home");
    }

    static Airlock open(TestDatabase db, String home) {
        return Airlock.builder().jdbcUrl(db.url()).credentials(db.user(), db.password())
                .storage(db.path(home).resolve("artifacts")).plugin(new RpmPlugin()).discoverPlugins(false).build();
    }
}
