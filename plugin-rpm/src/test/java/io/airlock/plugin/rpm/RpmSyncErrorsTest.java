package io.airlock.plugin.rpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.airlock.core.Airlock;
import io.airlock.core.store.LocalDirectory;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class RpmSyncErrorsTest {

    private static final LocalDirectory.Options REFUSE = LocalDirectory.Options.DEFAULT;
    private static final LocalDirectory.Options FOLLOW = LocalDirectory.Options.FOLLOW_SYMLINKS;
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
    void metadataThatIsNotUtf8IsRefusedWithoutParserNoiseOnStderr() throws IOException {
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            // A gzip file under a plain .xml name: the JDK's parser printed "[Fatal Error] …" lines.
            refused(dir -> {
                Path repo = new YumRepo().add(BASH).compression("").write(dir);
                Path primary = metadataFile(repo, "primary");
                hostile(repo, primary, YumRepo.compress(Files.readAllBytes(primary), "gz"));
                return repo;
            }, ErrorCode.INVALID_INPUT, "-primary.xml", ": not UTF-8 text");
        } finally {
            System.setErr(stderr);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).doesNotContain("Fatal Error");
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
    void aKeptMetadataFileThatDoesNotMatchRepomdIsRefusedAndNotStored() throws IOException {
        refused(dir -> {
            Path repo = RpmRoundTripTest.full().write(dir);
            Files.write(metadataFile(repo, "productid"), YumRepo.compress("another product".getBytes(), "gz"));
            return repo;
        }, ErrorCode.CHECKSUM_MISMATCH, "-productid.xml.gz: sha256 is ", "but repodata/repomd.xml says");
    }

    @Test
    void anObsoleteWithoutAMessageIsRefusedNamingItsDocument() throws IOException {
        refused(dir -> {
            Path repo = new YumRepo().add(BASH).metadata("modules", YumRepo.MODULES + YumRepo.OBSOLETE).write(dir.resolve("yum"));
            String withoutMessage = YumRepo.MODULES + YumRepo.OBSOLETE.replaceAll("  message: .*\n", "");
            hostile(repo, metadataFile(repo, "modules"), YumRepo.compress(withoutMessage.getBytes(StandardCharsets.UTF_8), "gz"));
            return repo;
        }, ErrorCode.INVALID_INPUT, "-modules.yaml.gz document at line " + (YumRepo.MODULES.lines().count() + 1)
                + ": data.message is missing");
    }

    @Test
    void theSqliteDatabasesDeltasAndZchunkFilesAreNotKept() throws IOException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            airlock.repositories().create("r", RpmPlugin.NAME, null);
            YumRepo yum = new YumRepo().add(BASH).metadata("productid", "product");
            for (String type : List.of("primary_db", "other_db", "prestodelta", "deltainfo", "primary_zck")) {
                yum.metadata(type, type);
            }

            RpmRepositories.SyncResult result = new RpmRepositories(airlock).sync("r", yum.write(db.path("yum")), ProgressListener.NONE);

            assertThat(result.units()).containsEntry(RepoMetadataFile.TYPE, 1L);
            assertThat(UnitFields.of(airlock, "r")).containsKey("rpm.repo_metadata_file:productid");
        }
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
            assertThat(result.units()).containsOnlyKeys(RpmPackage.TYPE, RepoMetadata.TYPE);
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
                java.util.Map<String, java.util.Map<String, Object>> units = UnitFields.of(airlock, name);
                // The productid file is kept as it came: its name and checksum are those of its compression.
                units.get("rpm.repo_metadata_file:productid").keySet().removeAll(List.of("RepoMetadataFile.relativePath",
                        "RepoMetadataFile.checksum", "Content.keyDigest"));
                seen.add(units);
            }
            assertThat(seen).allSatisfy(units -> assertThat(units).isEqualTo(seen.get(0)));
            assertThat((java.util.Map<?, ?>) seen.get(0)).hasSize(13);
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

    // --- symbolic links and special files: regular files inside REPODIR only ---

    @Test
    void aSymlinkedPackageFileIsRefusedNamingIt() throws IOException {
        RepoMaker linkedOut = dir -> {
            Path repo = new YumRepo().add(BASH).write(dir.resolve("yum"));
            moveOutAndLink(repo.resolve(BASH.href()), dir.resolve("outside/bash.rpm"));
            return repo;
        };
        refused(linkedOut, REFUSE, ErrorCode.INVALID_INPUT, BASH.href() + " is a symbolic link: refused (--follow-symlinks");
        refused(linkedOut, FOLLOW, ErrorCode.INVALID_INPUT, BASH.href() + " is a symbolic link to ", "/outside/bash.rpm, outside ");
    }

    @Test
    void aSymlinkedPackagesDirectoryIsRefused() throws IOException {
        RepoMaker linkedOut = dir -> {
            Path repo = new YumRepo().add(BASH).write(dir.resolve("yum"));
            moveOutAndLink(repo.resolve("Packages"), dir.resolve("outside/Packages"));
            return repo;
        };
        refused(linkedOut, REFUSE, ErrorCode.INVALID_INPUT, "yum/Packages is a symbolic link: refused");
        refused(linkedOut, FOLLOW, ErrorCode.INVALID_INPUT, "yum/Packages is a symbolic link to ", "/outside/Packages, outside ");
    }

    @Test
    void aPackagesDirectoryLinkedInsideTheRepositoryIsFollowedWhenAsked() throws IOException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            airlock.repositories().create("r", RpmPlugin.NAME, null);
            Path repo = new YumRepo().add(BASH).write(db.path("yum"));
            Files.move(repo.resolve("Packages"), repo.resolve("pool"));
            Files.createSymbolicLink(repo.resolve("Packages"), Path.of("pool"));
            RpmRepositories rpm = new RpmRepositories(airlock);

            assertThatThrownBy(() -> rpm.sync("r", repo, ProgressListener.NONE)).hasMessageContaining("is a symbolic link: refused");
            RpmRepositories.SyncResult result = rpm.sync("r", repo, FOLLOW, ProgressListener.NONE);

            assertThat(result.artifacts()).isEqualTo(1);
            assertThat(result.onDemand()).isZero();
        }
    }

    @Test
    void aSymlinkedMetadataFileIsRefused() throws IOException {
        RepoMaker linkedOut = dir -> {
            Path repo = new YumRepo().add(BASH).write(dir.resolve("yum"));
            Path primary = metadataFile(repo, "primary");
            moveOutAndLink(primary, dir.resolve("outside").resolve(primary.getFileName()));
            return repo;
        };
        refused(linkedOut, REFUSE, ErrorCode.INVALID_INPUT, "-primary.xml.gz is a symbolic link: refused");
        refused(linkedOut, FOLLOW, ErrorCode.INVALID_INPUT, "-primary.xml.gz is a symbolic link to ", ", outside ");
    }

    @Test
    void aSymlinkedRepomdIsRefused() throws IOException {
        RepoMaker linkedOut = dir -> {
            Path repo = new YumRepo().add(BASH).write(dir.resolve("yum"));
            moveOutAndLink(repo.resolve("repodata/repomd.xml"), dir.resolve("outside/repomd.xml"));
            return repo;
        };
        refused(linkedOut, REFUSE, ErrorCode.INVALID_INPUT, "repodata/repomd.xml is a symbolic link: refused");
        refused(linkedOut, FOLLOW, ErrorCode.INVALID_INPUT, "repodata/repomd.xml is a symbolic link to ", ", outside ");
    }

    @Test
    void aFifoAsPackageFileIsRefusedWithoutOpeningIt() {
        // Opening a FIFO with no writer blocks forever: the refusal must come before any open.
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> refused(dir -> {
            Path repo = new YumRepo().add(BASH).write(dir.resolve("yum"));
            Files.delete(repo.resolve(BASH.href()));
            mkfifo(repo.resolve(BASH.href()));
            return repo;
        }, REFUSE, ErrorCode.INVALID_INPUT, BASH.href() + " is not a regular file (a FIFO): refused"));
    }

    @Test
    void aFifoAsRepomdIsRefusedWithoutOpeningIt() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> refused(dir -> {
            Path repo = new YumRepo().add(BASH).write(dir.resolve("yum"));
            Files.delete(repo.resolve("repodata/repomd.xml"));
            mkfifo(repo.resolve("repodata/repomd.xml"));
            return repo;
        }, REFUSE, ErrorCode.INVALID_INPUT, "repodata/repomd.xml is not a regular file (a FIFO): refused"));
    }

    // --- reader limits: hostile metadata is refused at the limit, quickly, in the test's 1 GiB heap ---

    private static final int MIB = 1 << 20;
    private static final String METADATA_HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<metadata xmlns=\"http://linux.duke.edu/metadata/common\" xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\""
            + " packages=\"1\">\n";
    private static final String PRIMARY_HEAD = METADATA_HEAD + "<package type=\"rpm\">\n  <name>bash</name>\n";

    @Test
    void aPrimaryWithA600MiBDescriptionIsRefusedQuickly() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> refused(dir -> hostile(dir, "primary",
                gzipMembers(PRIMARY_HEAD + "  <description>", "x".repeat(MIB), 600, "</description>\n</package>\n</metadata>\n")),
                ErrorCode.INVALID_INPUT, "-primary.xml.gz line 5 column ",
                ": the text of <description> is longer than the limit of 1,000,000 characters"));
    }

    @Test
    void a600MiBCommentIsRefusedQuickly() {
        // A comment may hold '<' and '>': only a limit on what the parser reads for one event stops it.
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> refused(dir -> hostile(dir, "primary",
                gzipMembers(PRIMARY_HEAD + "<!--", "<>".repeat(MIB / 2), 600, "-->\n</package>\n</metadata>\n")),
                ErrorCode.INVALID_INPUT, "-primary.xml.gz line ", ": markup (a tag with its attributes, a comment,",
                "longer than the limit of 1 MiB (1,048,576 bytes)"));
    }

    @Test
    void a600MiBAttributeIsRefusedQuickly() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> refused(dir -> hostile(dir, "primary",
                gzipMembers(PRIMARY_HEAD + "  <location href=\"", "y".repeat(MIB), 600, "\"/>\n</package>\n</metadata>\n")),
                ErrorCode.INVALID_INPUT, "-primary.xml.gz line ", "markup", "longer than the limit of 1 MiB"));
    }

    @Test
    void aPackageLargerThanTheUnitLimitIsRefused() {
        String files = "    <file>/usr/bin/x</file>\n".repeat(MIB / 28);
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> refused(dir -> hostile(dir, "primary",
                gzipMembers(PRIMARY_HEAD + "  <format>\n", files, 10, "  </format>\n</package>\n</metadata>\n")),
                ErrorCode.INVALID_INPUT, "-primary.xml.gz line ", ": <package> starting at line 3 is larger than the limit of 8 MiB"));
    }

    @Test
    void deepNestingIsRefused() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> refused(dir -> hostile(dir, "primary",
                gzipMembers(PRIMARY_HEAD, "<x>".repeat(100), 1, "</x>".repeat(100) + "</package>\n</metadata>\n")),
                ErrorCode.INVALID_INPUT, "-primary.xml.gz line 5 column ", ": elements nested deeper than the limit of 64"));
    }

    @Test
    void aDecompressionBombIsRefused() {
        // 300 MiB of whitespace between packages: no other limit applies, the decompressed size does.
        assertTimeoutPreemptively(Duration.ofSeconds(300), () -> refused(dir -> hostile(dir, "primary",
                gzipMembers(METADATA_HEAD, " ".repeat(MIB), 300, "</metadata>\n")),
                ErrorCode.INVALID_INPUT, "-primary.xml.gz: decompresses to more than 256 MiB (268,435,456 bytes), the limit"
                        + " (200 times its size of "));
    }

    @Test
    void aRepomdLargerThanItsLimitIsRefused() throws IOException {
        refused(dir -> {
            Path repo = new YumRepo().add(BASH).write(dir);
            Path repomd = repo.resolve("repodata/repomd.xml");
            Files.writeString(repomd, Files.readString(repomd).replace("</repomd>", " ".repeat(2 * MIB) + "</repomd>"));
            return repo;
        }, ErrorCode.INVALID_INPUT, "repodata/repomd.xml: larger than the limit of 1 MiB (1,048,576 bytes)");
    }

    @Test
    void aModulesYamlWithA600MiBLineIsRefusedQuickly() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> refused(dir -> hostile(dir, "modules",
                gzipMembers("---\ndocument: modulemd\ndata:\n  description: ", "z".repeat(MIB), 600, "\n...\n")),
                ErrorCode.INVALID_INPUT, "-modules.yaml.gz line 4: a line longer than the limit of 1 MiB (1,048,576 characters)"));
    }

    @Test
    void aModulesYamlDocumentLargerThanTheLimitIsRefused() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> refused(dir -> hostile(dir, "modules",
                gzipMembers("---\ndocument: modulemd\ndata:\n  artifacts:\n    rpms:\n", "    - x\n".repeat(MIB / 8), 11, "...\n")),
                ErrorCode.INVALID_INPUT, "-modules.yaml.gz line 1: a YAML document longer than the limit of 10,000,000 characters"));
    }

    @Test
    void aModulesYamlOfManyDocumentMarkersIsReadInLinearTime() throws IOException {
        // 400,000 "---" lines: re-scanning the document at each marker took minutes (quadratic).
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            airlock.repositories().create("r", RpmPlugin.NAME, null);
            Path repo = new YumRepo().add(BASH).metadata("modules", "---\n".repeat(400_000) + YumRepo.MODULES)
                    .write(db.path("yum"));

            RpmRepositories.SyncResult result = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> new RpmRepositories(airlock).sync("r", repo, ProgressListener.NONE));

            assertThat(result.units()).containsKeys(Modulemd.TYPE, RpmPackage.TYPE);
        }
    }

    @Test
    void largePackagesAreWrittenInBatchesBoundedBySizeNotOnlyByCount() throws IOException {
        // Six packages of 5 MiB of metadata each (a skipped element): units up to the 8 MiB limit must
        // not pile up 1,000 to a batch, so a batch is written once it holds 16 MiB.
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            airlock.repositories().create("r", RpmPlugin.NAME, null);
            YumRepo yum = new YumRepo().compression("");
            for (int i = 0; i < 6; i++) {
                yum.add(YumRepo.Pkg.of("p" + i, "1", "1", "noarch").onDemand());
            }
            Path repo = yum.write(db.path("yum"));
            Path primary = metadataFile(repo, "primary");
            String padded = Files.readString(primary).replace("<package type=\"rpm\">\n",
                    "<package type=\"rpm\">\n<padding>" + "p".repeat(5 * MIB) + "</padding>\n");
            hostile(repo, primary, padded.getBytes(StandardCharsets.UTF_8));
            List<Long> written = new java.util.ArrayList<>();

            new RpmRepositories(airlock).sync("r", repo, (phase, done, total) -> written.add(done));

            // 4 packages make 20 MiB: written; then the rest, with repomd's revision
            assertThat(written).containsExactly(4L, 7L, 7L);
        }
    }

    // --- an Error (OutOfMemoryError, StackOverflowError) still removes the files the sync stored ---

    @Test
    void anErrorDuringSyncRemovesThePackageFilesItStored() throws IOException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            airlock.repositories().create("r", RpmPlugin.NAME, null);
            Path repo = new YumRepo().add(BASH, YumRepo.Pkg.of("zsh", "5.8", "9.el9", "x86_64")).write(db.path("yum"));
            List<Long> reported = new java.util.ArrayList<>();
            // Progress is reported once the packages are read and their files stored; an Error thrown
            // there stands for an OutOfMemoryError at the same point.
            ProgressListener failing = (phase, done, total) -> {
                reported.add(done);
                throw new OutOfMemoryError("thrown by the test after " + done + " units");
            };

            assertThatThrownBy(() -> new RpmRepositories(airlock).sync("r", repo, failing))
                    .isInstanceOf(OutOfMemoryError.class).hasMessageContaining("thrown by the test");

            assertThat(reported).containsExactly(3L); // the packages and repomd's revision
            assertThat(airlock.repositories().versions("r")).hasSize(1);
            assertThat(rows(airlock, "artifact")).isZero();
            assertThat(storedFiles(db.path("home").resolve("artifacts"))).isEmpty();
        }
    }

    interface RepoMaker {
        Path make(Path dir) throws IOException;
    }

    private static void refused(RepoMaker maker, ErrorCode code, String... messageParts) throws IOException {
        refused(maker, REFUSE, code, messageParts);
    }

    /**
     * Syncs a broken repository and checks the error (one line) and that nothing changed: no
     * version, unit, artifact or stored file.
     */
    private static void refused(RepoMaker maker, LocalDirectory.Options options, ErrorCode code, String... messageParts)
            throws IOException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            airlock.repositories().create("r", RpmPlugin.NAME, null);
            Path repo = maker.make(db.path("yum"));

            ThrowingCallable sync = () -> new RpmRepositories(airlock).sync("r", repo, options, ProgressListener.NONE);

            assertThatThrownBy(sync).isInstanceOfSatisfying(AirlockException.class, e -> {
                assertThat(e.code()).isEqualTo(code);
                assertThat(e.getMessage()).doesNotContain("\n").hasSizeLessThan(500);
            }).hasMessageContainingAll(messageParts);
            assertThat(airlock.repositories().versions("r")).hasSize(1);
            for (String table : List.of("content", "artifact", "content_artifact", "rpm_package", "rpm_advisory_collection")) {
                assertThat(rows(airlock, table)).as(table).isZero();
            }
            assertThat(storedFiles(db.path("home").resolve("artifacts"))).isEmpty();
        }
    }

    private static long rows(Airlock airlock, String table) {
        return airlock.inTransaction(s -> s.createNativeQuery("select count(*) from " + table, Long.class).getSingleResult());
    }

    private static void moveOutAndLink(Path path, Path outside) throws IOException {
        Files.createDirectories(outside.getParent());
        Files.move(path, outside);
        Files.createSymbolicLink(path, outside);
    }

    private static void mkfifo(Path path) throws IOException {
        try {
            assertThat(new ProcessBuilder("mkfifo", path.toString()).inheritIO().start().waitFor()).isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("mkfifo interrupted");
        }
    }

    /**
     * A gzip file of {@code head}, {@code block} {@code times} over and {@code tail}, as concatenated
     * gzip members (which gzip readers read as one stream): 600 MiB of text in under 1 MB, written in
     * a moment, compressing the block once.
     */
    private static byte[] gzipMembers(String head, String block, int times, String tail) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(YumRepo.compress(head.getBytes(StandardCharsets.UTF_8), "gz"));
        byte[] member = YumRepo.compress(block.getBytes(StandardCharsets.UTF_8), "gz");
        for (int i = 0; i < times; i++) {
            out.write(member);
        }
        out.write(YumRepo.compress(tail.getBytes(StandardCharsets.UTF_8), "gz"));
        return out.toByteArray();
    }

    /** A one-package repository whose metadata of {@code type} (gz) is replaced by {@code bytes}, repomd updated. */
    private static Path hostile(Path dir, String type, byte[] bytes) throws IOException {
        YumRepo yum = new YumRepo().add(BASH);
        if (type.equals("modules")) {
            yum.metadata("modules", YumRepo.MODULES);
        }
        Path repo = yum.write(dir.resolve("yum"));
        hostile(repo, metadataFile(repo, type), bytes);
        return repo;
    }

    /** Replaces a metadata file's bytes and its checksum in repomd.xml, keeping its name. */
    private static void hostile(Path repo, Path file, byte[] bytes) throws IOException {
        String oldSha = YumRepo.sha256(Files.readAllBytes(file));
        Files.write(file, bytes);
        Path repomd = repo.resolve("repodata/repomd.xml");
        Files.writeString(repomd, Files.readString(repomd).replace(oldSha + "</checksum>", YumRepo.sha256(bytes) + "</checksum>"));
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
