package io.airlock.core.imports;

import static io.airlock.core.imports.BadArchiveTest.saveWidget;
import static io.airlock.core.imports.ExportImportRoundTripTest.addWidgets;
import static io.airlock.core.imports.ExportImportRoundTripTest.contentOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airlock.core.Airlock;
import io.airlock.core.TestInstallations;
import io.airlock.core.Widget;
import io.airlock.core.archive.ArchiveNames;
import io.airlock.core.archive.MembershipKeys;
import io.airlock.core.content.ContentWriter.UnitFile;
import io.airlock.core.export.ExportEngine;
import io.airlock.core.export.ExportRequest;
import io.airlock.core.imports.TamperedArchives.Item;
import io.airlock.core.model.Repository;
import io.airlock.core.repository.VersionRef;
import io.airlock.core.store.StoredArtifact;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ContentKey;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Incremental exports carry each membership as the keys added to and removed from the base
 * version's (docs/archive-format.md): imported into a destination holding the base they give the
 * exported version; anywhere else they are refused and change nothing, and {@code --full-membership}
 * exports still mirror the version into any destination.
 */
@Tag("persistence")
final class MembershipDeltaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anIncrementalCarriesTheAddedAndRemovedKeysAndImportsToTheSameMembership() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            baseImported(upstream, up, downstream);
            addWidgets(upstream, "d", "e");
            removeWidget(upstream, "b");

            Path delta = incremental(upstream, up, "delta", false);
            ImportResult imported = new ImportEngine(downstream).importArchive(ImportRequest.of(delta), ProgressListener.NONE);

            List<Item> items = TamperedArchives.read(delta);
            assertThat(items).extracting(Item::name).filteredOn(n -> n.startsWith("membership/"))
                    .containsExactly("membership/0.added", "membership/0.removed");
            assertThat(TamperedArchives.entry(items, "membership/0.added").bytes())
                    .isEqualTo(keys(widgetDigest("d"), widgetDigest("e")));
            assertThat(TamperedArchives.entry(items, "membership/0.removed").bytes()).isEqualTo(keys(widgetDigest("b")));
            JsonNode repository = JSON.readTree(TamperedArchives.entry(items, "manifest.json").bytes()).get("repositories").get(0);
            assertThat(repository.get("base_membership_sha256").asText()).isEqualTo(membershipOf(upstream, "r", 1).sha256());
            assertThat(repository.get("content_count").asLong()).isEqualTo(4);
            assertThat(JSON.readTree(delta.toFile()).get("format_version").asInt()).isEqualTo(ArchiveNames.DELTA_FORMAT_VERSION);
            assertThat(imported.repositories().get(0).version()).contains(2);
            assertThat(membershipOf(downstream, "r", 2)).isEqualTo(membershipOf(upstream, "r", 4));
            assertThat(contentOf(downstream, "r")).isEqualTo(contentOf(upstream, "r")).containsOnlyKeys("a", "c", "d", "e");
        }
    }

    @Test
    void aDestinationThatDriftedFromTheBaseRefusesTheDeltaAndStaysUnchanged() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            baseImported(upstream, up, downstream);
            addWidgets(upstream, "d");
            Path delta = incremental(upstream, up, "delta", false);
            addWidgets(downstream, "x"); // changed downstream after the base was imported
            Snapshot before = Snapshot.of(downstream, down);

            AirlockException refused = catchThrowableOfType(AirlockException.class,
                    () -> new ImportEngine(downstream).importArchive(ImportRequest.of(delta), ProgressListener.NONE));

            assertThat(refused.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(refused).hasMessage("export " + delta + " holds r@2 as changes to its version 1 (3 units), but destination"
                    + " repository 'r' does not hold that version's units (its latest version 2 has 4 units);"
                    + " import the full export, or an export made with --full-membership");
            assertThat(Snapshot.of(downstream, down)).isEqualTo(before);
            assertThat(contentOf(downstream, "r")).containsOnlyKeys("a", "b", "c", "x");
        }
    }

    @Test
    void importingADeltaAgainChangesNothing() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            baseImported(upstream, up, downstream);
            addWidgets(upstream, "d");
            removeWidget(upstream, "a");
            Path delta = incremental(upstream, up, "delta", false);
            ImportEngine importer = new ImportEngine(downstream);
            importer.importArchive(ImportRequest.of(delta), ProgressListener.NONE);
            Snapshot before = Snapshot.of(downstream, down);

            ImportResult again = importer.importArchive(ImportRequest.of(delta), ProgressListener.NONE);

            assertThat(again.repositories().get(0).version()).isEmpty();
            assertThat(Snapshot.of(downstream, down)).isEqualTo(before);
            assertThat(contentOf(downstream, "r")).isEqualTo(contentOf(upstream, "r")).containsOnlyKeys("b", "c", "d");
        }
    }

    @Test
    void aFullMembershipIncrementalMirrorsTheVersionIntoADriftedDestination() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            baseImported(upstream, up, downstream);
            addWidgets(upstream, "d");
            Path full = incremental(upstream, up, "whole", true);
            addWidgets(downstream, "x");

            new ImportEngine(downstream).importArchive(ImportRequest.of(full), ProgressListener.NONE);

            List<Item> items = TamperedArchives.read(full);
            assertThat(items).extracting(Item::name).filteredOn(n -> n.startsWith("membership/")).containsExactly("membership/0.keys");
            assertThat(items).extracting(Item::name).filteredOn(n -> n.startsWith("content/")).hasSize(1);
            assertThat(JSON.readTree(full.toFile()).get("format_version").asInt()).isEqualTo(ArchiveNames.FORMAT_VERSION);
            assertThat(contentOf(downstream, "r")).isEqualTo(contentOf(upstream, "r")).containsOnlyKeys("a", "b", "c", "d");
        }
    }

    @Test
    void aChainOfTwoIncrementalsImportsToTheSameMembership() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            baseImported(upstream, up, downstream);
            ImportEngine importer = new ImportEngine(downstream);
            addWidgets(upstream, "d");
            removeWidget(upstream, "a");
            Path first = incremental(upstream, up, "first", false);
            addWidgets(upstream, "e");
            removeWidget(upstream, "d");
            Path second = incremental(upstream, up, "second", false);

            importer.importArchive(ImportRequest.of(first), ProgressListener.NONE);
            importer.importArchive(ImportRequest.of(second), ProgressListener.NONE);

            assertThat(membershipOf(downstream, "r", 3)).isEqualTo(membershipOf(upstream, "r", 5));
            assertThat(contentOf(downstream, "r")).isEqualTo(contentOf(upstream, "r")).containsOnlyKeys("b", "c", "e");
        }
    }

    @Test
    void aDeltaIntoANewRepositoryIsRefusedWhenItsBaseIsNotEmpty() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            baseImported(upstream, up, downstream);
            addWidgets(upstream, "d");
            Path delta = incremental(upstream, up, "delta", false);
            Snapshot before = Snapshot.of(downstream, down);

            AirlockException refused = catchThrowableOfType(AirlockException.class, () -> new ImportEngine(downstream).importArchive(
                    ImportRequest.of(delta).mapping("r", "fresh").creatingRepositories(), ProgressListener.NONE));

            assertThat(refused.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(refused).hasMessageContaining("but destination repository 'fresh' does not hold that version's units"
                    + " (its latest version 0 has 0 units)");
            assertThat(Snapshot.of(downstream, down)).isEqualTo(before);
            assertThat(downstream.repositories().find("fresh")).isEmpty();
        }
    }

    @Test
    void aDeltaAgainstAnEmptyBaseImportsIntoANewRepository() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            upstream.repositories().create("r", "test", null);
            addWidgets(upstream, "a", "b");
            Path delta = new ExportEngine(upstream).export(ExportRequest.full(List.of(VersionRef.latest("r")), up.path("exports"))
                    .withName("since0").since(List.of(VersionRef.of("r", 0))), ProgressListener.NONE).toc().orElseThrow();

            ImportResult imported = new ImportEngine(downstream).importArchive(
                    ImportRequest.of(delta).mapping("r", "fresh").creatingRepositories(), ProgressListener.NONE);

            assertThat(TamperedArchives.read(delta)).extracting(Item::name).contains("membership/0.added", "membership/0.removed");
            assertThat(imported.repositories().get(0).createdRepository()).isTrue();
            assertThat(contentOf(downstream, "fresh")).isEqualTo(contentOf(upstream, "r")).containsOnlyKeys("a", "b");
        }
    }

    @Test
    void aDryRunOfADeltaReportsTheVersionAndChangesNothing() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            baseImported(upstream, up, downstream);
            addWidgets(upstream, "d");
            removeWidget(upstream, "c");
            Path delta = incremental(upstream, up, "delta", false);
            Snapshot before = Snapshot.of(downstream, down);

            ImportResult result = new ImportEngine(downstream).importArchive(ImportRequest.of(delta).asDryRun(), ProgressListener.NONE);

            assertThat(result.dryRun()).isTrue();
            assertThat(result.repositories().get(0).version()).contains(2);
            assertThat(Snapshot.of(downstream, down)).isEqualTo(before);
            assertThat(contentOf(downstream, "r")).containsOnlyKeys("a", "b", "c");
        }
    }

    @Test
    void verifyAcceptsADeltaAndReportsIt() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            baseImported(upstream, up, downstream);
            addWidgets(upstream, "d");
            removeWidget(upstream, "a");
            Path delta = incremental(upstream, up, "delta", false);

            ArchiveVerifier.Verified verified = new ArchiveVerifier(downstream.plugins()).verify(delta, ProgressListener.NONE);

            assertThat(verified.manifest().formatVersion()).isEqualTo(ArchiveNames.DELTA_FORMAT_VERSION);
            assertThat(verified.manifest().repositories().get(0).delta()).hasValueSatisfying(d -> {
                assertThat(d.baseCount()).isEqualTo(3);
                assertThat(d.added()).isEqualTo(1);
                assertThat(d.removed()).isEqualTo(1);
            });
        }
    }

    @Test
    void aDeltaAddingAUnitOfTheLabelOfAUnitTheBaseKeepsIsRefusedAndChangesNothing() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            baseImported(upstream, up, downstream);
            List<UUID> revised = TestInstallations.save(upstream, new Widget("b", 2)); // replaces b revision 1 upstream
            upstream.repositories().modify("r", OptionalInt.empty(), d -> d.add(revised));
            // The delta adds b revision 2 but no longer removes b revision 1, which downstream keeps.
            Path delta = TamperedArchives.tamper(incremental(upstream, up, "delta", false), up.path("tampered"), "bad",
                    items -> {
                        TamperedArchives.replace(items, "membership/0.removed", item -> Item.file(item.name(), new byte[0]));
                        TamperedArchives.editJson(items, "manifest.json",
                                manifest -> ((ObjectNode) manifest.get("repositories").get(0)).put("removed_count", 0).put("content_count", 4));
                    });
            Snapshot before = Snapshot.of(downstream, down);

            AirlockException refused = catchThrowableOfType(AirlockException.class,
                    () -> new ImportEngine(downstream).importArchive(ImportRequest.of(delta), ProgressListener.NONE));

            assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_INPUT);
            assertThat(refused).hasMessage("export " + delta + ", membership/0.added, line 1: two different units labelled"
                    + " test.widget:b cannot both be in repository 'r'");
            assertThat(Snapshot.of(downstream, down)).isEqualTo(before);
        }
    }

    @Test
    void aDeltaAddingAFileUnderAPathTheBaseKeepsAsAFileIsRefusedAndChangesNothing() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            upstream.repositories().create("r", "test", null);
            StoredArtifact bytes = upstream.artifacts().put(new ByteArrayInputStream("x".getBytes(StandardCharsets.UTF_8)),
                    Optional.empty());
            saveWidget(upstream, "one", new UnitFile("p", Optional.of(bytes)));
            Path base = new ExportEngine(upstream).export(ExportRequest.full(List.of(VersionRef.latest("r")), up.path("exports"))
                    .withName("base").withExporter("usb"), ProgressListener.NONE).toc().orElseThrow();
            new ImportEngine(downstream).importArchive(ImportRequest.of(base).creatingRepositories(), ProgressListener.NONE);
            saveWidget(upstream, "two", new UnitFile("p/q", Optional.of(bytes)));
            Path delta = incremental(upstream, up, "delta", false);
            Snapshot before = Snapshot.of(downstream, down);

            AirlockException refused = catchThrowableOfType(AirlockException.class,
                    () -> new ImportEngine(downstream).importArchive(ImportRequest.of(delta), ProgressListener.NONE));

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + delta + ", membership/0.added: r would hold both 'p' and 'p/q',"
                    + " a file and a directory at one path, which can never be published");
            assertThat(Snapshot.of(downstream, down)).isEqualTo(before);
        }
    }

    // --- helpers ---

    /** Upstream r with widgets a, b, c (version 1), exported by exporter "usb" as "base" and imported downstream into a new r. */
    static void baseImported(Airlock upstream, TestDatabase up, Airlock downstream) {
        upstream.repositories().create("r", "test", null);
        addWidgets(upstream, "a", "b", "c");
        Path base = new ExportEngine(upstream).export(ExportRequest.full(List.of(VersionRef.latest("r")), up.path("exports"))
                .withName("base").withExporter("usb"), ProgressListener.NONE).toc().orElseThrow();
        new ImportEngine(downstream).importArchive(ImportRequest.of(base).creatingRepositories(), ProgressListener.NONE);
    }

    /** Exporter "usb"'s incremental export of r's latest version as {@code name}; its TOC. */
    static Path incremental(Airlock upstream, TestDatabase up, String name, boolean fullMembership) {
        ExportRequest request = ExportRequest.full(List.of(VersionRef.latest("r")), up.path("exports")).withName(name)
                .withExporter("usb").incremental();
        return new ExportEngine(upstream).export(fullMembership ? request.withFullMembership() : request, ProgressListener.NONE)
                .toc().orElseThrow();
    }

    static void removeWidget(Airlock airlock, String name) {
        List<UUID> ids = TestInstallations.save(airlock, new Widget(name, 1));
        airlock.repositories().modify("r", OptionalInt.empty(), d -> d.remove(ids));
    }

    static String widgetDigest(String name) {
        return ContentKey.of("test.widget", Map.of("name", name, "revision", 1)).digest();
    }

    /** The keys as a membership entry holds them: 32 bytes each, ascending. */
    static byte[] keys(String... digests) {
        return String.join("", java.util.Arrays.stream(digests).sorted().toList()).transform(HexFormat.of()::parseHex);
    }

    static MembershipKeys.Summary membershipOf(Airlock airlock, String repository, int version) {
        return airlock.inTransaction(session -> session.doReturningWork(connection -> {
            Repository found = airlock.repositories().get(session, repository);
            return MembershipKeys.summarize(connection, found.id(), version, "test");
        }));
    }
}
