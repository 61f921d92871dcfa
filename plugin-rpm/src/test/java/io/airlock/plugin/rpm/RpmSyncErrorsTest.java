package io.airlock.plugin.rpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlock.core.Airlock;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class RpmSyncErrorsTest {

    private static final YumRepo.Pkg BASH = YumRepo.Pkg.of("bash", "5.1.8", "6.el9", "x86_64");

    @Test
    void malformedPrimaryXmlNamesTheFileAndLine() throws IOException {
        refused(dir -> {
            Path repo = RpmRoundTripTest.full().compression("").write(dir);
            Path primary = metadataFile(repo, "primary");
            String broken = Files.readString(primary).replace("<arch>x86_64</arch>", "<arch>x86_64</arc>");
            rewrite(repo, primary, broken);
            return repo;
        }, ErrorCode.INVALID_INPUT, "-primary.xml line 5 column", "malformed XML", "must be terminated");
    }

    @Test
    void malformedModulesYamlNamesTheFileAndLine() throws IOException {
        refused(dir -> {
            Path repo = RpmRoundTripTest.full().compression("").write(dir);
            Path modules = metadataFile(repo, "modules");
            rewrite(repo, modules, Files.readString(modules).replace("  stream: \"1.22\"\n  version", "  stream: [\"1.22\"\n  version"));
            return repo;
        }, ErrorCode.INVALID_INPUT, "-modules.yaml line ", "malformed YAML");
    }

    @Test
    void anUnknownPackageChecksumTypeIsRefused() throws IOException {
        refused(dir -> {
            Path repo = new YumRepo().add(BASH).compression("").write(dir);
            Path primary = metadataFile(repo, "primary");
            rewrite(repo, primary, Files.readString(primary).replace("<checksum type=\"sha256\"", "<checksum type=\"crc99\""));
            return repo;
        }, ErrorCode.INVALID_INPUT, "-primary.xml line", "unknown checksum type 'crc99'");
    }

    @Test
    void aMissingPrimaryFileIsRefused() throws IOException {
        refused(dir -> {
            Path repo = new YumRepo().add(BASH).write(dir);
            Files.delete(metadataFile(repo, "primary"));
            return repo;
        }, ErrorCode.NOT_FOUND, "primary metadata repodata/", "is missing");
    }

    @Test
    void aRepomdWithoutPrimaryIsRefused() throws IOException {
        refused(dir -> {
            Path repo = new YumRepo().add(BASH).write(dir);
            Path repomd = repo.resolve("repodata/repomd.xml");
            Files.writeString(repomd, Files.readString(repomd).replace("type=\"primary\"", "type=\"other\""));
            return repo;
        }, ErrorCode.INVALID_INPUT, "lists no primary metadata");
    }

    @Test
    void metadataThatDoesNotMatchRepomdIsRefused() throws IOException {
        refused(dir -> {
            Path repo = RpmRoundTripTest.full().write(dir);
            Files.write(metadataFile(repo, "group"), YumRepo.compress(YumRepo.COMPS.replace("Core", "Kore").getBytes(), "gz"));
            return repo;
        }, ErrorCode.CHECKSUM_MISMATCH, "-group.xml.gz: sha256 is ", "but repodata/repomd.xml says");
    }

    @Test
    void aPackageFileThatDoesNotMatchItsChecksumIsRefusedAndNotStored() throws IOException {
        refused(dir -> {
            Path repo = new YumRepo().add(BASH, YumRepo.Pkg.of("zsh", "5.8", "9.el9", "x86_64")).write(dir);
            Files.writeString(repo.resolve(BASH.href()), "tampered");
            return repo;
        }, ErrorCode.CHECKSUM_MISMATCH, "package bash-5.1.8-6.el9.x86_64", "does not match its checksum");
    }

    @Test
    void anAbsentListedUpdateinfoIsAWarningNotAnError() throws IOException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            airlock.repositories().create("r", RpmPlugin.NAME, null);
            Path repo = new YumRepo().add(BASH).metadata("updateinfo", YumRepo.UPDATEINFO).write(db.path("yum"));
            Files.delete(metadataFile(repo, "updateinfo"));

            RpmRepositories.SyncResult result = new RpmRepositories(airlock).sync("r", repo, ProgressListener.NONE);

            assertThat(result.warnings()).singleElement().asString().contains("updateinfo metadata repodata/", "is missing: ignored");
            assertThat(result.units()).containsOnlyKeys(RpmPackage.TYPE);
        }
    }

    @Test
    void everyCompressionReadsTheSame() throws IOException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            RpmRepositories rpm = new RpmRepositories(airlock);
            List<Object> seen = new java.util.ArrayList<>();
            for (String compression : List.of("gz", "xz", "zst", "")) {
                String name = "r" + (compression.isEmpty() ? "plain" : compression);
                airlock.repositories().create(name, RpmPlugin.NAME, null);
                rpm.sync(name, RpmRoundTripTest.full().compression(compression).write(db.path(name)), ProgressListener.NONE);
                seen.add(UnitFields.of(airlock, name));
            }
            assertThat(seen).allSatisfy(units -> assertThat(units).isEqualTo(seen.get(0)));
            assertThat((java.util.Map<?, ?>) seen.get(0)).hasSize(10);
        }
    }

    @Test
    void aFileRepositoryIsNotSyncedFromYumMetadata() throws IOException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            airlock.repositories().create("files", "rpm", null);
            airlock.inTransaction(s -> s.createNativeMutationQuery("update repository set family = 'file' where name = 'files'")
                    .executeUpdate());
            assertThatThrownBy(() -> new RpmRepositories(airlock).sync("files", new YumRepo().add(BASH).write(db.path("yum")),
                    ProgressListener.NONE))
                    .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                    .hasMessageContaining("holds file content, not rpm content");
        }
    }

    interface RepoMaker {
        Path make(Path dir) throws IOException;
    }

    /** Syncs a broken repository and checks the error and that nothing changed: no version, unit, artifact or stored file. */
    private static void refused(RepoMaker maker, ErrorCode code, String... messageParts) throws IOException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            airlock.repositories().create("r", RpmPlugin.NAME, null);
            Path repo = maker.make(db.path("yum"));

            ThrowingCallable sync = () -> new RpmRepositories(airlock).sync("r", repo, ProgressListener.NONE);

            assertThatThrownBy(sync).isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.code()).isEqualTo(code))
                    .hasMessageContainingAll(messageParts);
            assertThat(airlock.repositories().versions("r")).hasSize(1);
            for (String table : List.of("content", "artifact", "content_artifact", "rpm_package", "rpm_advisory_collection")) {
                long rows = airlock.inTransaction(s -> s.createNativeQuery("select count(*) from " + table, Long.class).getSingleResult());
                assertThat(rows).as(table).isZero();
            }
            assertThat(storedFiles(db.path("home").resolve("artifacts"))).isEmpty();
        }
    }

    private static List<Path> storedFiles(Path store) throws IOException {
        if (!Files.exists(store)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(store)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static Path metadataFile(Path repo, String type) throws IOException {
        try (Stream<Path> files = Files.list(repo.resolve("repodata"))) {
            return files.filter(f -> f.getFileName().toString().contains("-" + type + ".")).findFirst().orElseThrow();
        }
    }

    /** Replaces a metadata file's text and updates repomd.xml, so only the content is broken, not its checksum. */
    private static void rewrite(Path repo, Path file, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        String oldSha = YumRepo.sha256(Files.readAllBytes(file));
        Files.write(file, bytes);
        Path repomd = repo.resolve("repodata/repomd.xml");
        Files.writeString(repomd, Files.readString(repomd).replace(oldSha + "</checksum>", YumRepo.sha256(bytes) + "</checksum>"));
    }
}
