package io.airlock.plugin.rpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlock.core.Airlock;
import io.airlock.core.repository.VersionRef;
import io.airlock.plugin.rpm.publish.Publication;
import io.airlock.plugin.rpm.publish.PublishOptions;
import io.airlock.plugin.rpm.publish.RepodataFile;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.SharedData;
import io.airlock.testing.TestDatabase;
import io.airlock.testing.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Tag("persistence")
final class RpmPublishTest {

    static Stream<PublishOptions> options() {
        PublishOptions onDemand = PublishOptions.defaults().allowingOnDemand();
        return Stream.of(onDemand,
                onDemand.layout(PublishOptions.Layout.FLAT).compression(PublishOptions.Compression.ZSTD)
                        .checksum(PublishOptions.Checksum.SHA512),
                onDemand.compression(PublishOptions.Compression.NONE).checksum(PublishOptions.Checksum.SHA384));
    }

    @ParameterizedTest
    @MethodSource("options")
    void aPublicationSyncedIntoAnotherInstallationGivesEveryUnitFieldForFieldButThePackageLocation(PublishOptions options)
            throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = RpmTests.open(up); Airlock downstream = RpmTests.open(down)) {
            upstream.repositories().create("el9", RpmPlugin.NAME, null);
            new RpmRepositories(upstream).sync("el9", RpmRoundTripTest.full().write(up.path("yum")), ProgressListener.NONE);
            Path out = up.path("published");

            Publication publication = new RpmRepositories(upstream).publish(VersionRef.latest("el9"), out, options,
                    ProgressListener.NONE);
            downstream.repositories().create("el9", RpmPlugin.NAME, null);
            RpmRepositories.SyncResult synced = new RpmRepositories(downstream).sync("el9", out, ProgressListener.NONE);

            assertThat(publication.packages()).isEqualTo(3);
            assertThat(publication.packageFiles()).isEqualTo(2);
            assertThat(publication.onDemand()).isEqualTo(1);
            assertThat(synced.artifacts()).isEqualTo(2);
            assertThat(publication.metadata()).extracting(RepodataFile::type).containsExactlyElementsOf(
                    options.compression() == PublishOptions.Compression.NONE
                            ? List.of("primary", "filelists", "other", "group", "updateinfo", "modules", "productid")
                            : List.of("primary", "filelists", "other", "group", "group_"
                                    + options.compression().suffix().substring(1), "updateinfo", "modules", "productid"));
            assertThat(publication.metadata()).allSatisfy(file -> {
                assertThat(file.checksumType()).isEqualTo(options.checksum().id());
                assertThat(out.resolve(file.href())).hasSize(file.size());
                assertThat(file.href()).startsWith("repodata/" + file.checksum() + "-");
            });
            assertThat(withoutLocations(UnitFields.of(downstream, "el9")))
                    .isEqualTo(withoutLocations(UnitFields.of(upstream, "el9")));
            String bash = options.layout() == PublishOptions.Layout.FLAT
                    ? "Packages/bash-5.1.8-6.el9.x86_64.rpm" : "Packages/b/bash-5.1.8-6.el9.x86_64.rpm";
            assertThat(UnitFields.of(downstream, "el9").get("rpm.package:bash-5.1.8-6.el9.x86_64"))
                    .containsEntry("RpmPackage.locationHref", bash);
            assertThat(out.resolve(bash)).isRegularFile();
            RepodataFile productid = publication.metadata().stream().filter(f -> f.type().equals("productid")).findFirst().orElseThrow();
            assertThat(productid.href()).endsWith("-productid.xml.gz"); // kept as it came, whatever the chosen compression
            assertThat(productid.openSize()).contains((long) RpmRoundTripTest.PRODUCTID.length());
            assertThat(YumRepo.decompressed(Files.readAllBytes(out.resolve(productid.href())))).isEqualTo(RpmRoundTripTest.PRODUCTID);
        }
    }

    /** Without the package locations, nor the productid file's name and checksum type, which the publication chooses. */
    private static Map<String, Map<String, Object>> withoutLocations(Map<String, Map<String, Object>> units) {
        units.values().forEach(fields -> fields.remove("RpmPackage.locationHref"));
        units.get("rpm.repo_metadata_file:productid").keySet().removeAll(List.of("RepoMetadataFile.relativePath",
                "RepoMetadataFile.checksumType", "RepoMetadataFile.checksum", "Content.keyDigest"));
        return units;
    }

    @Test
    void packagesThatWouldShareAFileAreRefusedNamingBothAndNothingIsWritten() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            airlock.repositories().create("el9", RpmPlugin.NAME, null);
            new RpmRepositories(airlock).sync("el9", twoEpochsOfOnePackage(db.path("yum")), ProgressListener.NONE);
            Path out = db.path("published");

            assertThatThrownBy(() -> new RpmRepositories(airlock).publish(VersionRef.latest("el9"), out,
                    PublishOptions.defaults().allowingOnDemand(), ProgressListener.NONE))
                    .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                    .hasMessage("packages foo-1:1.0-1.x86_64 and foo-2:1.0-1.x86_64 would both be published as"
                            + " Packages/f/foo-1.0-1.x86_64.rpm");
            assertThat(out).doesNotExist();
            assertThat(db.directory().toFile().list()).noneMatch(name -> name.startsWith(".published"));
        }
    }

    /** Two packages that differ only in epoch, both on demand: they would be published as one file. */
    private static Path twoEpochsOfOnePackage(Path root) {
        return new YumRepo().add(new YumRepo.Pkg("foo", "1", "1.0", "1", "x86_64", null, "", "", ""),
                new YumRepo.Pkg("foo", "2", "1.0", "1", "x86_64", null, "", "", "")).write(root);
    }

    @Test
    void aNonEmptyOutputDirectoryIsRefusedAndKept() throws IOException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            airlock.repositories().create("el9", RpmPlugin.NAME, null);
            Path out = Files.createDirectories(db.path("published"));
            Files.writeString(out.resolve("keep.txt"), "mine");

            assertThatThrownBy(() -> new RpmRepositories(airlock).publish(VersionRef.latest("el9"), out,
                    PublishOptions.defaults(), ProgressListener.NONE))
                    .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                    .hasMessageContaining("exists and is not empty");
            assertThat(out.resolve("keep.txt")).hasContent("mine");
        }
    }

    @Test
    void cs9BaseOsPublishedReadsBackInCreaterepoCsReaderAsTheSnapshotDoes() throws IOException {
        Path snapshot = SharedData.require("cs9-baseos");
        Tools.requirePython("createrepo_c");
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            airlock.repositories().create("baseos", RpmPlugin.NAME, null);
            new RpmRepositories(airlock).sync("baseos", snapshot, ProgressListener.NONE);
            Path out = db.path("published");

            Publication publication = new RpmRepositories(airlock).publish(VersionRef.latest("baseos"), out,
                    PublishOptions.defaults().allowingOnDemand(), ProgressListener.NONE);

            assertThat(publication.packages()).isEqualTo(1125);
            assertThat(publication.onDemand()).isEqualTo(1125);
            Path script = script(db.path("primary_fields.py"));
            List<String> expected = primaryFields(script, snapshot);
            assertThat(expected).hasSize(1125);
            assertThat(primaryFields(script, out)).isEqualTo(expected);
        }
    }

    private static Path script(Path to) throws IOException {
        try (InputStream in = RpmPublishTest.class.getResourceAsStream("/primary_fields.py")) {
            Files.copy(in, to);
        }
        return to;
    }

    private static List<String> primaryFields(Path script, Path repository) {
        Tools.Result result = Tools.run(repository, Map.of(), List.of(Tools.PYTHON, script.toString(), repository.toString()),
                Duration.ofMinutes(2));
        assertThat(result.exitCode()).as(result.err()).isZero();
        return result.outLines();
    }
}
