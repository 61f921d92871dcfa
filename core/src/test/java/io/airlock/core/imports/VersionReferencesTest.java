package io.airlock.core.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.airlock.core.Airlock;
import io.airlock.core.TestInstallations;
import io.airlock.core.copy.CopyEngine;
import io.airlock.core.copy.CopyRequest;
import io.airlock.core.copy.CopyRequest.Entry;
import io.airlock.core.copy.CopyResult;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A repository version holds every unit its units refer to; copies bring them along. */
@Tag("persistence")
final class VersionReferencesTest {

    @Test
    void aCopyBringsTheUnitsItsUnitsReferToWithoutAPolicy() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, new PythonPlugin())) {
            UUID[] ids = source(airlock);
            airlock.repositories().create("dst", "python", null);

            CopyResult result = new CopyEngine(airlock).copy(CopyRequest.of(List.of(
                    Entry.whole("py", "dst").withContent("python.distribution:requests-2.31.0.tar.gz"))));

            Map<String, String> added = new TreeMap<>();
            result.destinations().get(0).added().forEach(a -> added.put(a.type() + ":" + a.label(), a.reason().toString()));
            assertThat(added).isEqualTo(Map.of(
                    "python.distribution:requests-2.31.0.tar.gz", "requested",
                    "python.project:requests", "referenced by python.distribution:requests-2.31.0.tar.gz"));
            assertThat(result.destinations().get(0).version()).contains(1);
        }
    }

    @Test
    void aVersionWithAUnitWhoseReferencedUnitIsNotInItIsRefusedNamingBoth() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, new PythonPlugin())) {
            UUID[] ids = source(airlock);
            airlock.repositories().create("dst", "python", null);

            AirlockException refused = catchThrowableOfType(AirlockException.class, () -> airlock.repositories()
                    .modify("dst", OptionalInt.empty(), draft -> draft.add(List.of(ids[1]))));

            assertThat(refused.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(refused).hasMessage("unit python.distribution:requests-2.31.0.tar.gz refers to python.project:requests,"
                    + " which would not be in version 1 of repository 'dst'; add it too");
            assertThat(airlock.repositories().versions("dst")).extracting(RepositoryVersion::number).containsExactly(0);
        }
    }

    @Test
    void removingAUnitThatAnotherUnitOfTheVersionRefersToIsRefused() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, new PythonPlugin())) {
            UUID[] ids = source(airlock);

            AirlockException refused = catchThrowableOfType(AirlockException.class, () -> airlock.repositories()
                    .modify("py", OptionalInt.empty(), draft -> draft.remove(List.of(ids[0]))));

            assertThat(refused.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(refused).hasMessageContaining("refers to python.project:requests, which would not be in version 2");
            assertThat(airlock.repositories().versions("py")).extracting(RepositoryVersion::number).containsExactly(0, 1);
        }
    }

    /** Repository py@1: project requests and one distribution of it; returns their ids. */
    private static UUID[] source(Airlock airlock) {
        airlock.repositories().create("py", "python", null);
        UUID project = TestInstallations.save(airlock, new PythonProject("requests", "HTTP for Humans")).get(0);
        PythonDistribution distribution = airlock.inTransaction(session ->
                new PythonDistribution("requests-2.31.0.tar.gz", session.getReference(PythonProject.class, project)));
        UUID distributionId = TestInstallations.save(airlock, distribution).get(0);
        airlock.repositories().modify("py", OptionalInt.empty(), draft -> draft.add(List.of(project, distributionId)));
        return new UUID[] {project, distributionId};
    }
}
