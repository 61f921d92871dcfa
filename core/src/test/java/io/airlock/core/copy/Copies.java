package io.airlock.core.copy;

import io.airlock.core.Airlock;
import io.airlock.core.TestInstallations;
import io.airlock.core.Widget;
import io.airlock.core.repository.VersionRef;
import io.airlock.spi.Content;
import io.airlock.spi.copy.CopyPolicy;
import io.airlock.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Test support for copies: installations with the copy test plugins, repositories with content, what versions hold. */
final class Copies {

    private Copies() {
    }

    /** An installation with the widget ({@code test}), gadget and faulty plugins. */
    static Airlock open(TestDatabase db) {
        return TestInstallations.open(db, new GadgetPlugin(), new FaultyPlugin());
    }

    /** The same installation with the gadget family's copy policy replaced. */
    static Airlock open(TestDatabase db, CopyPolicy gadgetPolicy) {
        return TestInstallations.open(db, new GadgetPlugin(gadgetPolicy), new FaultyPlugin());
    }

    /** Creates a repository and, when units are given, a version 1 holding them. */
    static void repository(Airlock airlock, String name, String family, Content... units) {
        airlock.repositories().create(name, family, null);
        if (units.length > 0) {
            add(airlock, name, units);
        }
    }

    /** A new version of the repository: the latest plus the units. */
    static void add(Airlock airlock, String name, Content... units) {
        var ids = TestInstallations.save(airlock, units);
        airlock.repositories().modify(name, OptionalInt.empty(), draft -> draft.add(ids));
    }

    /** The units of a version as {@code TYPE:LABEL} (widgets with {@code #REVISION}), sorted. */
    static List<String> content(Airlock airlock, String name, int number) {
        List<String> units = new ArrayList<>();
        airlock.repositories().scanContent(airlock.repositories().version(VersionRef.of(name, number)), Optional.empty(), 100,
                batch -> batch.forEach(unit -> units.add(unit + (unit instanceof Widget w ? "#" + w.revision() : ""))));
        units.sort(null);
        return units;
    }

    static int latest(Airlock airlock, String name) {
        return airlock.repositories().get(name).latestVersion();
    }

    /** Row counts of what a copy writes, for "nothing changed" assertions. */
    record State(long versions, long memberships, long content, long scratch) {
        static State of(Airlock airlock) {
            return new State(count(airlock, "repository_version"), count(airlock, "repository_content"),
                    count(airlock, "content"), count(airlock, "version_draft_unit"));
        }

        private static long count(Airlock airlock, String table) {
            return airlock.inTransaction(session -> session.createNativeQuery("select count(*) from " + table, Long.class)
                    .getSingleResult());
        }
    }
}
