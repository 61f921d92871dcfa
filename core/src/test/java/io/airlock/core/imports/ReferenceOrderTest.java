package io.airlock.core.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.airlock.core.Airlock;
import io.airlock.core.TestInstallations;
import io.airlock.core.archive.ArchiveNames;
import io.airlock.core.export.ExportEngine;
import io.airlock.core.export.ExportRequest;
import io.airlock.core.imports.TamperedArchives.Item;
import io.airlock.core.repository.VersionRef;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Types whose units refer to units of another type, with ids that sort the wrong way
 * ({@code python.distribution} refers to {@code python.project}): the order of export and import
 * comes from the references, and an archive written in another order imports too.
 */
@Tag("persistence")
final class ReferenceOrderTest {

    private static final String DISTRIBUTIONS = ArchiveNames.contentEntry("python.distribution");

    @Test
    void aReferencedTypeComesBeforeTheTypesReferringToIt() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, new PythonPlugin())) {
            List<String> order = airlock.plugins().importOrder();

            assertThat(order).containsExactlyInAnyOrder("python.distribution", "python.project", "test.widget");
            assertThat(order.indexOf("python.project")).isLessThan(order.indexOf("python.distribution"));
        }
    }

    @Test
    void anExportOfReferringUnitsImportsIntoAFreshInstallation() {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up, new PythonPlugin());
                Airlock downstream = TestInstallations.open(down, new PythonPlugin())) {
            Path toc = export(upstream, up);

            new ImportEngine(downstream).importArchive(ImportRequest.of(toc).creatingRepositories(), ProgressListener.NONE);

            assertThat(projectsOfDistributions(downstream)).isEqualTo(Map.of(
                    "requests-2.31.0.tar.gz", "requests", "requests-2.32.0.tar.gz", "requests", "idna-3.7.tar.gz", "idna"));
        }
    }

    @Test
    void anArchiveThatCarriesAReferringTypeFirstImportsToo() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up, new PythonPlugin());
                Airlock downstream = TestInstallations.open(down, new PythonPlugin())) {
            Path toc = TamperedArchives.tamper(export(upstream, up), up.path("old-order"), "old", items -> {
                // as an Airlock that ordered types by id wrote it: distributions before projects
                Item distributions = items.remove(TamperedArchives.indexOf(items, DISTRIBUTIONS));
                items.add(TamperedArchives.indexOf(items, ArchiveNames.contentEntry("python.project")), distributions);
            });

            new ImportEngine(downstream).importArchive(ImportRequest.of(toc).creatingRepositories(), ProgressListener.NONE);

            assertThat(projectsOfDistributions(downstream)).isEqualTo(projectsOfDistributions(upstream));
        }
    }

    @Test
    void aReferenceToAUnitThatIsNowhereIsRefusedAtItsLineAndChangesNothing() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up, new PythonPlugin());
                Airlock downstream = TestInstallations.open(down, new PythonPlugin())) {
            Path toc = TamperedArchives.tamper(export(upstream, up), up.path("no-idna"), "no-idna", items -> {
                TamperedArchives.editLines(items, ArchiveNames.contentEntry("python.project"),
                        lines -> lines.removeIf(line -> line.contains("\"idna\"")));
                TamperedArchives.editJson(items, ArchiveNames.MANIFEST, m -> m.withObject("content").put("python.project", 1));
            });
            Snapshot before = Snapshot.of(downstream, down);

            AirlockException refused = catchThrowableOfType(AirlockException.class, () -> new ImportEngine(downstream)
                    .importArchive(ImportRequest.of(toc).creatingRepositories(), ProgressListener.NONE));

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessageContaining(DISTRIBUTIONS + ", line ")
                    .hasMessageContaining("referenced unit [\"python.project\",[\"name\",\"idna\"]] is neither in the export nor in this installation");
            assertThat(Snapshot.of(downstream, down)).isEqualTo(before);
        }
    }

    /** Repository py holding two projects and three distributions of them; exported whole; returns the TOC. */
    private static Path export(Airlock airlock, TestDatabase db) {
        airlock.repositories().create("py", "python", null);
        List<UUID> projects = TestInstallations.save(airlock, new PythonProject("requests", "HTTP for Humans"),
                new PythonProject("idna", "Internationalized Domain Names"));
        List<UUID> distributions = airlock.inTransaction(session -> {
            PythonProject requests = session.getReference(PythonProject.class, projects.get(0));
            PythonProject idna = session.getReference(PythonProject.class, projects.get(1));
            return List.of(new PythonDistribution("requests-2.31.0.tar.gz", requests),
                    new PythonDistribution("requests-2.32.0.tar.gz", requests), new PythonDistribution("idna-3.7.tar.gz", idna));
        }).stream().map(unit -> TestInstallations.save(airlock, unit).get(0)).toList();
        airlock.repositories().modify("py", OptionalInt.empty(), draft -> draft.add(projects).add(distributions));
        return new ExportEngine(airlock).export(ExportRequest.full(List.of(VersionRef.latest("py")), db.path("exports"))
                .withName("py"), ProgressListener.NONE).toc().orElseThrow();
    }

    /** Distribution filename → its project's name, over the whole installation. */
    private static Map<String, String> projectsOfDistributions(Airlock airlock) {
        return airlock.inTransaction(session -> {
            Map<String, String> projects = new TreeMap<>();
            session.createSelectionQuery("from PythonDistribution d join fetch d.project", PythonDistribution.class)
                    .getResultList().forEach(d -> projects.put(d.filename, d.project.name));
            return projects;
        });
    }
}
