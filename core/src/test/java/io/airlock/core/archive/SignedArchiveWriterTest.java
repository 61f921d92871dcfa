package io.airlock.core.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.airlock.core.trust.SignatureFile;
import io.airlock.core.trust.SigningKey;
import io.airlock.core.trust.TrustedKeys;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signature file is written by the export's staging: there when the export is, gone when it failed. */
final class SignedArchiveWriterTest {

    @TempDir
    Path dir;

    private io.airlock.core.store.WorkArea work() {
        return new io.airlock.core.store.WorkArea(dir.resolve("work"), Optional.empty());
    }

    @Test
    void aCommittedSignedExportHasASignatureOfItsExactToc() throws IOException {
        SigningKey.Created created = SigningKey.create(dir.resolve("keys"), "k");
        Path out = dir.resolve("out");

        try (ArchiveWriter writer = new ArchiveWriter(out, "x", OptionalLong.of(1024), work())) {
            writer.putBytes("manifest.json", "{}".getBytes(StandardCharsets.UTF_8));
            writer.commit(Map.of("who", "test"), Optional.of(SigningKey.load(created.privateKey())));
        }

        Path toc = out.resolve("x-toc.json");
        TrustedKeys.SignedToc signed = TrustedKeys.load(created.publicKey()).verifiedToc(toc);
        assertThat(signed.bytes()).isEqualTo(Files.readAllBytes(toc));
        assertThat(signed.signedBy()).isEqualTo(created.fingerprint());
        // A 512-byte header, the manifest's block, two end blocks: two chunks of 1,024 bytes.
        assertThat(names(out)).containsExactlyInAnyOrder("x-toc.json", "x-toc.json.sig", "x.tar.000000", "x.tar.000001");
    }

    @Test
    void aFailedCommitLeavesNeitherTheTocNorTheSignatureNorAChunk() throws IOException {
        SigningKey.Created created = SigningKey.create(dir.resolve("keys"), "k");
        Path out = dir.resolve("out");

        Throwable failure;
        try (ArchiveWriter writer = new ArchiveWriter(out, "x", OptionalLong.of(1024), work())) {
            writer.putBytes("manifest.json", "{}".getBytes(StandardCharsets.UTF_8));
            // Something takes the TOC's place after the export started: its move, the last step, fails.
            Files.createDirectories(out.resolve("x-toc.json").resolve("in-the-way"));
            failure = catchThrowable(() -> writer.commit(Map.of(), Optional.of(SigningKey.load(created.privateKey()))));
        }

        assertThat(failure).isInstanceOf(IOException.class);
        assertThat(names(out)).containsExactly("x-toc.json");
        assertThat(out.resolve("x-toc.json")).isDirectory();
    }

    @Test
    void aSignatureLeftWithoutItsExportBlocksAnExportOfThatName() throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("x-toc.json" + SignatureFile.SUFFIX), "stale\n");

        AirlockException refused = catchThrowableOfType(AirlockException.class,
                () -> new ArchiveWriter(out, "x", OptionalLong.empty(), work()).close());

        assertThat(refused.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(refused).hasMessage("a signature x-toc.json.sig without its export is in " + out + "; remove it first");
        assertThat(names(out)).containsExactly("x-toc.json.sig");
    }

    private static List<String> names(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
