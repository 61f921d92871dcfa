package io.airlock.core;

import io.airlock.core.content.ContentWriter.NewUnit;
import io.airlock.spi.Content;
import io.airlock.spi.ContentPlugin;
import io.airlock.testing.TestDatabase;
import java.util.List;
import java.util.UUID;

/** Opens test installations on a {@link TestDatabase} with the widget plugin only. */
public final class TestInstallations {

    private TestInstallations() {
    }

    public static Airlock open(TestDatabase db) {
        return open(db, new ContentPlugin[0]);
    }

    /** An installation with the widget plugin whose writers give up waiting for a lock after {@code lockTimeout}. */
    public static Airlock open(TestDatabase db, java.time.Duration lockTimeout) {
        return builder(db).lockTimeout(lockTimeout).build();
    }

    /** An installation with the widget plugin and these others. */
    public static Airlock open(TestDatabase db, ContentPlugin... others) {
        Airlock.Builder builder = builder(db);
        for (ContentPlugin plugin : others) {
            builder.plugin(plugin);
        }
        return builder.build();
    }

    private static Airlock.Builder builder(TestDatabase db) {
        return Airlock.builder()
                .jdbcUrl(db.url())
                .credentials(db.user(), db.password())
                .storage(db.path("artifacts"))
                .discoverPlugins(false)
                .plugin(new WidgetPlugin());
    }

    /** Stores the units (reusing existing ones) and returns their ids. */
    public static List<UUID> save(Airlock airlock, Content... units) {
        List<NewUnit> newUnits = java.util.Arrays.stream(units).map(u -> new NewUnit(u, List.of())).toList();
        return airlock.inTransaction(session -> airlock.contentWriter().save(session, newUnits).ids());
    }

    /** A count query's result, e.g. {@code select count(*) from Content}, in its own transaction. */
    public static long count(Airlock airlock, String hql) {
        return airlock.inTransaction(s -> s.createSelectionQuery(hql, Long.class).getSingleResult());
    }

    /** Waits up to 30 s for the latch; an interrupt ends the wait and stays set. */
    public static void await(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
