package io.airlock.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.core.content.ContentWriter.NewUnit;
import io.airlock.core.content.ContentWriter.UnitFile;
import io.airlock.core.store.StoredArtifact;
import io.airlock.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class OrphanCleanupTest {

    @Test
    void removesWhatNoRepositoryReferencesAndKeepsTheRest() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            airlock.repositories().create("r", "test", null);
            StoredArtifact kept = put(airlock, 1);
            StoredArtifact dropped = put(airlock, 2);
            StoredArtifact stray = put(airlock, 3);
            List<UUID> ids = airlock.inTransaction(s -> airlock.contentWriter().save(s, List.of(
                    new NewUnit(new Widget("kept", 1), List.of(new UnitFile("k", Optional.of(kept)))),
                    new NewUnit(new Widget("dropped", 1), List.of(new UnitFile("d", Optional.of(dropped))))))).ids();
            airlock.repositories().modify("r", OptionalInt.empty(), d -> d.add(ids.subList(0, 1)));

            OrphanCleanup.Result result = airlock.cleanupOrphans(Duration.ZERO);

            assertThat(List.of(result.content(), result.artifactRows(), result.files())).containsExactly(1L, 1L, 2L);
            assertThat(airlock.artifacts().contains(kept.sha256())).isTrue();
            assertThat(airlock.artifacts().contains(dropped.sha256())).isFalse();
            assertThat(airlock.artifacts().contains(stray.sha256())).isFalse();
            long remaining = airlock.inTransaction(s -> s.createSelectionQuery("select count(*) from Content", Long.class)
                    .getSingleResult());
            assertThat(remaining).isEqualTo(1);
        }
    }

    @Test
    void contentRemovedFromTheLatestVersionIsKeptWhileAnOlderVersionHasIt() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            airlock.repositories().create("r", "test", null);
            List<UUID> ids = TestInstallations.save(airlock, new Widget("a", 1));
            airlock.repositories().modify("r", OptionalInt.empty(), d -> d.add(ids));
            airlock.repositories().modify("r", OptionalInt.empty(), d -> d.remove(ids));

            assertThat(airlock.cleanupOrphans(Duration.ZERO).content()).isZero();
        }
    }

    @Test
    void filesYoungerThanTheGracePeriodAreKept() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            StoredArtifact fresh = put(airlock, 9);

            assertThat(airlock.cleanupOrphans(Duration.ofHours(1)).files()).isZero();
            assertThat(airlock.artifacts().contains(fresh.sha256())).isTrue();
        }
    }

    private static StoredArtifact put(Airlock airlock, int value) {
        return airlock.artifacts().put(new ByteArrayInputStream(new byte[] {(byte) value}), Optional.empty());
    }
}
