package io.airlock.core.imports;

import static io.airlock.core.imports.ExportImportRoundTripTest.addWidgets;
import static io.airlock.core.imports.ExportImportRoundTripTest.contentOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.airlock.core.Airlock;
import io.airlock.core.TestInstallations;
import io.airlock.core.WidgetPlugin;
import io.airlock.core.archive.ArchiveReader;
import io.airlock.core.export.ExportEngine;
import io.airlock.core.export.ExportRequest;
import io.airlock.core.repository.VersionRef;
import io.airlock.core.trust.SignatureFile;
import io.airlock.core.trust.SigningKey;
import io.airlock.core.trust.TrustedKeys;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Imports with trusted keys: a signed export imports; an unsigned one, a changed TOC or chunk, a
 * signature of another export or by another key, and a damaged or non-regular signature file are
 * refused with one line, leaving the installation exactly as it was (rows and artifact files).
 */
@Tag("persistence")
final class SignedImportTest {

    // --- accepted ---

    @Test
    void aSignedExportImportsWithItsPublicKeyTrusted() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            SigningKey.Created key = SigningKey.create(up.path("keys"), "k");
            Path toc = signedExport(upstream, up, key, "good");

            ImportResult imported = new ImportEngine(downstream).importArchive(ImportRequest.of(toc).creatingRepositories()
                    .trusting(TrustedKeys.load(key.publicKey())), ProgressListener.NONE);

            assertThat(imported.repositories()).singleElement().satisfies(r -> assertThat(r.version()).contains(1));
            assertThat(imported.signedBy()).contains(key.fingerprint());
            assertThat(contentOf(downstream, "r")).isEqualTo(contentOf(upstream, "r"));
        }
    }

    @Test
    void aSignedExportImportsWithADirectoryOfTrustedKeys() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            SigningKey.Created key = SigningKey.create(up.path("keys"), "k");
            Path toc = signedExport(upstream, up, key, "good");
            Path trusted = Files.createDirectories(down.path("trusted"));
            Files.copy(SigningKey.create(down.path("other"), "other").publicKey(), trusted.resolve("other.pub"));
            Files.copy(key.publicKey(), trusted.resolve("upstream.pem"));

            ImportResult imported = new ImportEngine(downstream).importArchive(ImportRequest.of(toc).creatingRepositories()
                    .trusting(TrustedKeys.load(trusted)), ProgressListener.NONE);

            assertThat(imported.repositories()).singleElement().satisfies(r -> assertThat(r.version()).contains(1));
            assertThat(contentOf(downstream, "r")).isEqualTo(contentOf(upstream, "r"));
        }
    }

    @Test
    void anInstallationThatTrustsAKeyImportsWhatItSigned() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up)) {
            SigningKey.Created key = SigningKey.create(up.path("keys"), "k");
            Path toc = signedExport(upstream, up, key, "good");
            try (Airlock downstream = requiringSignatures(down, TrustedKeys.load(key.publicKey()))) {

                new ImportEngine(downstream).importArchive(ImportRequest.of(toc).creatingRepositories(), ProgressListener.NONE);

                assertThat(contentOf(downstream, "r")).isEqualTo(contentOf(upstream, "r"));
            }
        }
    }

    @Test
    void verifyNamesTheTrustedKeyThatSigned() throws IOException {
        try (TestDatabase up = TestDatabase.create(); Airlock upstream = TestInstallations.open(up)) {
            SigningKey.Created key = SigningKey.create(up.path("keys"), "k");
            Path toc = signedExport(upstream, up, key, "good");

            ArchiveVerifier.Verified verified = new ArchiveVerifier(upstream.plugins(), TrustedKeys.load(key.publicKey()))
                    .verify(toc, ProgressListener.NONE);

            assertThat(verified.signedBy()).contains(key.fingerprint());
            assertThat(verified.manifest().repositories()).singleElement().satisfies(r -> assertThat(r.name()).isEqualTo("r"));
        }
    }

    @Test
    void theTocBytesWhoseSignatureWasCheckedAreTheOnesRead() throws IOException {
        try (TestDatabase up = TestDatabase.create(); Airlock upstream = TestInstallations.open(up)) {
            SigningKey.Created key = SigningKey.create(up.path("keys"), "k");
            Path toc = signedExport(upstream, up, key, "good");
            TrustedKeys.SignedToc signed = TrustedKeys.load(key.publicKey()).verifiedToc(toc);
            Files.delete(toc); // swapped or gone after the check: the reader must not go back to the file

            try (ArchiveReader reader = ArchiveReader.open(toc, signed.bytes())) {
                assertThat(reader.toc().exportName()).isEqualTo("good");
                assertThatCode(() -> {
                    while (reader.next() != null) {
                        // reading checks every chunk against the signed TOC
                    }
                    reader.finish();
                }).doesNotThrowAnyException();
            }
        }
    }

    // --- refused ---

    @Test
    void anUnsignedExportIsRefusedWhenKeysAreTrusted() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            SigningKey.Created key = SigningKey.create(up.path("keys"), "k");
            Path toc = signedExport(upstream, up, key, "good");
            Files.delete(SignatureFile.of(toc));

            AirlockException refused = refused(downstream, down, toc, TrustedKeys.load(key.publicKey()));

            assertThat(refused).hasMessage("export " + toc + " is not signed (no good-toc.json.sig) and signatures are required");
        }
    }

    @Test
    void anInstallationThatTrustsAKeyRefusesAnUnsignedExport() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up)) {
            SigningKey.Created key = SigningKey.create(up.path("keys"), "k");
            upstream.repositories().create("r", "test", null);
            addWidgets(upstream, "a");
            Path toc = new ExportEngine(upstream).export(ExportRequest.full(List.of(VersionRef.latest("r")), up.path("exports"))
                    .withName("plain"), ProgressListener.NONE).toc().orElseThrow();
            try (Airlock downstream = requiringSignatures(down, TrustedKeys.load(key.publicKey()))) {

                AirlockException refused = refused(downstream, down, toc, TrustedKeys.none());

                assertThat(refused).hasMessage("export " + toc + " is not signed (no plain-toc.json.sig) and signatures are required");
            }
        }
    }

    @Test
    void aBareTarIsRefusedWhenKeysAreTrusted() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            SigningKey.Created key = SigningKey.create(up.path("keys"), "k");
            Path tar = signedExport(upstream, up, key, "good").resolveSibling("good.tar");

            AirlockException refused = refused(downstream, down, tar, TrustedKeys.load(key.publicKey()));

            assertThat(refused).hasMessage("export " + tar + " is a bare .tar, which cannot be signed, and signatures are "
                    + "required: import its -toc.json with the -toc.json.sig next to it");
        }
    }

    @Test
    void everyChangedByteOfTheTocIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            SigningKey.Created key = SigningKey.create(up.path("keys"), "k");
            Path toc = signedExport(upstream, up, key, "good");
            byte[] original = Files.readAllBytes(toc);
            TrustedKeys trusted = TrustedKeys.load(key.publicKey());
            existingState(downstream);
            Snapshot before = Snapshot.of(downstream, down);
            List<String> accepted = new ArrayList<>();

            for (int i = 0; i < original.length; i++) {
                Files.write(toc, TamperedArchives.flip(original, i));
                AirlockException refused = catchThrowableOfType(AirlockException.class, () -> new ImportEngine(downstream)
                        .importArchive(ImportRequest.of(toc).creatingRepositories().trusting(trusted), ProgressListener.NONE));
                if (refused == null || !refused.getMessage().equals("export " + toc + ": the signature by key " + key.fingerprint()
                        + " does not match the table of contents (changed after signing, or the signature of another export)")) {
                    accepted.add("byte " + i + ": " + refused);
                }
            }

            assertThat(accepted).as("changed TOC bytes not refused by the signature check").isEmpty();
            assertThat(original.length).isGreaterThan(200);
            assertThat(Snapshot.of(downstream, down)).isEqualTo(before);
        }
    }

    @Test
    void aChangedChunkIsRefusedByItsChecksumThoughTheSignatureStillHolds() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            SigningKey.Created key = SigningKey.create(up.path("keys"), "k");
            upstream.repositories().create("r", "test", null);
            addWidgets(upstream, "a", "b", "c");
            Path toc = new ExportEngine(upstream).export(ExportRequest.full(List.of(VersionRef.latest("r")), up.path("exports"))
                    .withName("good").withChunkSize(2048).signedWith(SigningKey.load(key.privateKey())), ProgressListener.NONE)
                    .toc().orElseThrow();
            TrustedKeys trusted = TrustedKeys.load(key.publicKey());
            existingState(downstream);
            List<Path> chunks = chunks(toc);
            assertThat(chunks).hasSizeGreaterThan(2);

            for (Path chunk : chunks) {
                byte[] original = Files.readAllBytes(chunk);
                for (int at : new int[] {0, original.length / 2, original.length - 1}) {
                    Files.write(chunk, TamperedArchives.flip(original, at));

                    // The attacker's changed chunk still comes with a valid signature: it signs the TOC, not the chunk.
                    assertThat(trusted.verifiedToc(toc).signedBy()).isEqualTo(key.fingerprint());
                    AirlockException refused = refusedAny(downstream, down, toc, trusted);

                    assertThat(refused.code()).as("chunk %s byte %d", chunk.getFileName(), at).isEqualTo(ErrorCode.ARCHIVE_INVALID);
                    assertThat(refused).as("chunk %s byte %d", chunk.getFileName(), at)
                            .hasMessageStartingWith("export file " + chunk.getFileName() + " has sha256 ")
                            .hasMessageContaining(" but the table of contents gives ");
                }
                Files.write(chunk, original);
            }
        }
    }

    @Test
    void theSignatureOfAnotherExportIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            SigningKey.Created key = SigningKey.create(up.path("keys"), "k");
            Path good = signedExport(upstream, up, key, "good");
            addWidgets(upstream, "evil");
            Path other = new ExportEngine(upstream).export(ExportRequest.full(List.of(VersionRef.latest("r")), up.path("exports"))
                    .withName("other").signedWith(SigningKey.load(key.privateKey())), ProgressListener.NONE).toc().orElseThrow();
            Files.copy(SignatureFile.of(other), SignatureFile.of(good), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

            AirlockException refused = refused(downstream, down, good, TrustedKeys.load(key.publicKey()));

            assertThat(refused).hasMessage("export " + good + ": the signature by key " + key.fingerprint()
                    + " does not match the table of contents (changed after signing, or the signature of another export)");
        }
    }

    @Test
    void aSignatureByAKeyThatIsNotTrustedIsRefusedNamingIt() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            SigningKey.Created signer = SigningKey.create(up.path("keys"), "signer");
            SigningKey.Created trustedKey = SigningKey.create(down.path("keys"), "trusted");
            Path toc = signedExport(upstream, up, signer, "good");

            AirlockException refused = refused(downstream, down, toc, TrustedKeys.load(trustedKey.publicKey()));

            assertThat(refused).hasMessage("export " + toc + " is signed by key " + signer.fingerprint() + ", which is not trusted");
        }
    }

    @Test
    void aTruncatedSignatureFileIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            SigningKey.Created key = SigningKey.create(up.path("keys"), "k");
            Path toc = signedExport(upstream, up, key, "good");
            Path signature = SignatureFile.of(toc);
            byte[] bytes = Files.readAllBytes(signature);
            Files.write(signature, java.util.Arrays.copyOf(bytes, bytes.length / 2));

            AirlockException refused = refused(downstream, down, toc, TrustedKeys.load(key.publicKey()));

            assertThat(refused).hasMessage("signature file " + signature + " is not valid JSON");
        }
    }

    @Test
    void aSignatureThatIsNotSixtyFourBytesIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            SigningKey.Created key = SigningKey.create(up.path("keys"), "k");
            Path toc = signedExport(upstream, up, key, "good");
            Path signature = SignatureFile.of(toc);
            Files.writeString(signature, Files.readString(signature).replaceAll("\"signature\" : \"[^\"]*\"",
                    "\"signature\" : \"" + java.util.Base64.getEncoder().encodeToString(new byte[63]) + "\""));

            AirlockException refused = refused(downstream, down, toc, TrustedKeys.load(key.publicKey()));

            assertThat(refused).hasMessage("signature file " + signature + ": 'signature' is not the base64 of 64 bytes");
        }
    }

    @Test
    void aGarbledSignatureIsRefusedAsNotMatching() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            SigningKey.Created key = SigningKey.create(up.path("keys"), "k");
            Path toc = signedExport(upstream, up, key, "good");
            Path signature = SignatureFile.of(toc);
            byte[] garbage = new byte[64];
            java.util.Arrays.fill(garbage, (byte) 0xff);
            Files.writeString(signature, Files.readString(signature).replaceAll("\"signature\" : \"[^\"]*\"",
                    "\"signature\" : \"" + java.util.Base64.getEncoder().encodeToString(garbage) + "\""));

            AirlockException refused = refused(downstream, down, toc, TrustedKeys.load(key.publicKey()));

            assertThat(refused).hasMessageContaining(": the signature by key " + key.fingerprint() + " does not match");
        }
    }

    @Test
    void aSignatureFileWithAnUnknownFieldIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            SigningKey.Created key = SigningKey.create(up.path("keys"), "k");
            Path toc = signedExport(upstream, up, key, "good");
            Path signature = SignatureFile.of(toc);
            Files.writeString(signature, Files.readString(signature).replaceFirst("\\{", "{\"also\": \"this\","));

            AirlockException refused = refused(downstream, down, toc, TrustedKeys.load(key.publicKey()));

            assertThat(refused).hasMessage("signature file " + signature + " has unknown field 'also'");
        }
    }

    @Test
    void aSignatureFileThatIsASymbolicLinkIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            SigningKey.Created key = SigningKey.create(up.path("keys"), "k");
            Path toc = signedExport(upstream, up, key, "good");
            Path signature = SignatureFile.of(toc);
            Path elsewhere = Files.move(signature, up.path("elsewhere.sig"));
            Files.createSymbolicLink(signature, elsewhere); // even a link to the right signature: regular files only

            AirlockException refused = refused(downstream, down, toc, TrustedKeys.load(key.publicKey()));

            assertThat(refused).hasMessage("signature file " + signature + " is not a regular file (a symbolic link)");
        }
    }

    @Test
    void aSignatureFileThatIsAFifoIsRefusedWithoutWaitingForAWriter() throws Exception {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            SigningKey.Created key = SigningKey.create(up.path("keys"), "k");
            Path toc = signedExport(upstream, up, key, "good");
            Path signature = SignatureFile.of(toc);
            Files.delete(signature);
            assertThat(new ProcessBuilder("mkfifo", signature.toString()).start().waitFor()).isZero();

            AirlockException refused = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> refused(downstream, down, toc, TrustedKeys.load(key.publicKey())));

            assertThat(refused).hasMessage("signature file " + signature + " is not a regular file (a device, FIFO or socket)");
        }
    }

    @Test
    void verifyRefusesAnUnsignedExportWhenKeysAreTrusted() throws IOException {
        try (TestDatabase up = TestDatabase.create(); Airlock upstream = TestInstallations.open(up)) {
            SigningKey.Created key = SigningKey.create(up.path("keys"), "k");
            Path toc = signedExport(upstream, up, key, "good");
            Files.delete(SignatureFile.of(toc));

            AirlockException refused = catchThrowableOfType(AirlockException.class, () -> new ArchiveVerifier(upstream.plugins(),
                    TrustedKeys.load(key.publicKey())).verify(toc, ProgressListener.NONE));

            assertThat(refused.code()).isEqualTo(ErrorCode.UNTRUSTED);
            assertThat(refused).hasMessage("export " + toc + " is not signed (no good-toc.json.sig) and signatures are required");
        }
    }

    // --- helpers ---

    private static Path signedExport(Airlock upstream, TestDatabase up, SigningKey.Created key, String name) {
        upstream.repositories().create("r", "test", null);
        addWidgets(upstream, "a", "b", "c");
        return new ExportEngine(upstream).export(ExportRequest.full(List.of(VersionRef.latest("r")), up.path("exports"))
                .withName(name).signedWith(SigningKey.load(key.privateKey())), ProgressListener.NONE).toc().orElseThrow();
    }

    private static Airlock requiringSignatures(TestDatabase db, TrustedKeys keys) {
        return Airlock.builder().jdbcUrl(db.url()).credentials(db.user(), db.password()).storage(db.path("artifacts"))
                .discoverPlugins(false).plugin(new WidgetPlugin()).trustedKeys(keys).build();
    }

    private static void existingState(Airlock downstream) {
        downstream.repositories().create("r", "test", null);
        addWidgets(downstream, "x", "y");
    }

    /** Imports with these keys trusted (besides the installation's), requiring an UNTRUSTED refusal that changes nothing. */
    private static AirlockException refused(Airlock downstream, TestDatabase down, Path path, TrustedKeys trusted) throws IOException {
        AirlockException refused = refusedAny(downstream, down, path, trusted);
        assertThat(refused.code()).as("the code of %s", refused).isEqualTo(ErrorCode.UNTRUSTED);
        return refused;
    }

    /** Imports with these keys trusted (besides the installation's), requiring a refusal that changes nothing. */
    private static AirlockException refusedAny(Airlock downstream, TestDatabase down, Path path, TrustedKeys trusted)
            throws IOException {
        if (ExportImportRoundTripTest.count(downstream, "select count(*) from Repository") == 0) {
            existingState(downstream);
        }
        Snapshot before = Snapshot.of(downstream, down);
        AirlockException refused = catchThrowableOfType(AirlockException.class, () -> new ImportEngine(downstream)
                .importArchive(ImportRequest.of(path).creatingRepositories().trusting(trusted), ProgressListener.NONE));
        assertThat(refused).as("the import of " + path).isNotNull();
        assertThat(refused.getMessage()).as("the message of %s", refused).doesNotContain("\n", "\r");
        assertThat(Snapshot.of(downstream, down)).as("downstream after the refused import").isEqualTo(before);
        return refused;
    }

    private static List<Path> chunks(Path toc) throws IOException {
        String prefix = toc.getFileName().toString().replace("-toc.json", ".tar.");
        try (Stream<Path> files = Files.list(toc.getParent())) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
        }
    }
}
