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
        return open(db, home, new RpmPlugin());
    }

    /** With this plugin object (a host may register one with several installations). */
    static Airlock open(TestDatabase db, String home, RpmPlugin plugin) {
        return Airlock.builder().jdbcUrl(db.url()).credentials(db.user(), db.password())
                .storage(db.path(home).resolve("artifacts")).plugin(plugin).discoverPlugins(false).build();
    }
}
