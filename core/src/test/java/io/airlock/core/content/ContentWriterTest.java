package io.airlock.core.content;

import static io.airlock.core.TestInstallations.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.core.Airlock;
import io.airlock.core.TestInstallations;
import io.airlock.core.Widget;
import io.airlock.core.content.ContentWriter.NewUnit;
import io.airlock.core.content.ContentWriter.Saved;
import io.airlock.core.content.ContentWriter.UnitFile;
import io.airlock.core.store.StoredArtifact;
import io.airlock.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class ContentWriterTest {

    @Test
    void unitsWithAnExistingNaturalKeyAreReusedNotDuplicated() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            List<UUID> first = TestInstallations.save(airlock, new Widget("a", 1), new Widget("b", 1));

            Saved again = save(airlock, List.of(new NewUnit(new Widget("b", 1), List.of()),
                    new NewUnit(new Widget("c", 1), List.of()), new NewUnit(new Widget("a", 1), List.of())));

            assertThat(again.ids().get(0)).isEqualTo(first.get(1));
            assertThat(again.ids().get(2)).isEqualTo(first.get(0));
            assertThat(again.created()).isEqualTo(1);
            assertThat(again.reused()).isEqualTo(2);
            assertThat(count(airlock, "select count(*) from Content")).isEqualTo(3);
        }
    }

    @Test
    void theSameUnitTwiceInOneBatchIsStoredOnce() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            List<UUID> ids = TestInstallations.save(airlock, new Widget("a", 1), new Widget("a", 1));

            assertThat(ids.get(0)).isEqualTo(ids.get(1));
            assertThat(count(airlock, "select count(*) from Content")).isEqualTo(1);
        }
    }

    @Test
    void filesBecomeArtifactRowsSharedByUnitsWithTheSameBytes() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            StoredArtifact bytes = airlock.artifacts().put(new ByteArrayInputStream(new byte[] {1, 2}), Optional.empty());

            List<UUID> ids = save(airlock, List.of(
                    new NewUnit(new Widget("a", 1), List.of(new UnitFile("a.bin", Optional.of(bytes)))),
                    new NewUnit(new Widget("b", 1), List.of(new UnitFile("b.bin", Optional.of(bytes)),
                            new UnitFile("b.sig", Optional.empty()))))).ids();

            assertThat(count(airlock, "select count(*) from Artifact")).isEqualTo(1);
            Map<UUID, List<UnitFile>> files = airlock.inTransaction(s -> ContentFiles.of(s, ids));
            assertThat(files.get(ids.get(0))).containsExactly(new UnitFile("a.bin", Optional.of(bytes)));
            assertThat(files.get(ids.get(1))).containsExactly(new UnitFile("b.bin", Optional.of(bytes)),
                    new UnitFile("b.sig", Optional.empty()));
        }
    }

    @Test
    void anOnDemandFileOfAnExistingUnitGetsItsArtifactWhenGiven() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            List<UUID> ids = save(airlock, List.of(
                    new NewUnit(new Widget("a", 1), List.of(new UnitFile("a.bin", Optional.empty()))))).ids();
            StoredArtifact bytes = airlock.artifacts().put(new ByteArrayInputStream(new byte[] {7}), Optional.empty());

            save(airlock, List.of(new NewUnit(new Widget("a", 1), List.of(new UnitFile("a.bin", Optional.of(bytes))))));

            assertThat(airlock.inTransaction(s -> ContentFiles.of(s, ids)).get(ids.get(0)))
                    .containsExactly(new UnitFile("a.bin", Optional.of(bytes)));
        }
    }

    @Test
    void aPlainTypeKeepsItsClaimedContentRowAndReadsBackWithEveryField() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            Widget written = new Widget("gear", 7);
            UUID id = TestInstallations.save(airlock, written).get(0);

            Widget read = airlock.inTransaction(s -> s.get(Widget.class, id));
            assertThat(read.name()).isEqualTo("gear");
            assertThat(read.revision()).isEqualTo(7);
            assertThat(read.label()).isEqualTo("gear");
            assertThat(read.keyDigest()).isEqualTo(written.keyDigest());
            assertThat(read.typeId()).isEqualTo("test.widget");
            assertThat(count(airlock, "select count(*) from Content")).isEqualTo(1);
        }
    }

    private static Saved save(Airlock airlock, List<NewUnit> units) {
        return airlock.inTransaction(session -> airlock.contentWriter().save(session, units));
    }
}
