package io.airlock.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class FileSystemArtifactStoreTest {

    private static final byte[] HELLO = "hello\n".getBytes(StandardCharsets.UTF_8);
    private static final String HELLO_SHA256 = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

    @TempDir
    Path root;

    @Test
    void storesUnderTheSha256WithATwoCharacterDirectory() throws IOException {
        FileSystemArtifactStore store = new FileSystemArtifactStore(root);

        StoredArtifact stored = store.put(new ByteArrayInputStream(HELLO), Optional.empty());

        assertThat(stored).isEqualTo(new StoredArtifact(HELLO_SHA256, HELLO.length));
        Path file = root.resolve("58").resolve(HELLO_SHA256.substring(2));
        assertThat(file).hasBinaryContent(HELLO);
        assertThat(store.path(HELLO_SHA256)).isEqualTo(file);
        try (InputStream in = store.open(HELLO_SHA256)) {
            assertThat(in.readAllBytes()).isEqualTo(HELLO);
        }
    }

    @Test
    void storingTheSameBytesTwiceKeepsOneFileAndDoesNotRewriteIt() throws IOException {
        FileSystemArtifactStore store = new FileSystemArtifactStore(root);
        store.put(new ByteArrayInputStream(HELLO), Optional.empty());
        Path file = store.path(HELLO_SHA256);
        FileTime past = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
        Files.setLastModifiedTime(file, past);

        store.put(new ByteArrayInputStream(HELLO), Optional.of(HELLO_SHA256));

        assertThat(Files.getLastModifiedTime(file)).isEqualTo(past);
        assertThat(regularFiles()).containsExactly(file);
    }

    @Test
    void bytesThatDoNotMatchTheExpectedSha256AreRefusedAndLeaveNothing() throws IOException {
        FileSystemArtifactStore store = new FileSystemArtifactStore(root);
        String other = "0".repeat(64);

        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(HELLO), Optional.of(other)))
                .isInstanceOf(AirlockException.class)
                .hasMessage("artifact bytes have sha256 " + HELLO_SHA256 + " but " + other + " was expected")
                .extracting(e -> ((AirlockException) e).code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
        assertThat(regularFiles()).isEmpty();
        assertThat(store.contains(HELLO_SHA256)).isFalse();
    }

    @Test
    void aStreamFailingMidwayLeavesNoFileBehind() throws IOException {
        FileSystemArtifactStore store = new FileSystemArtifactStore(root);
        InputStream failing = new InputStream() {
            private int left = 10_000;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    throw new IOException("disk pulled");
                }
                left--;
                return 'x';
            }
        };

        assertThatThrownBy(() -> store.put(failing, Optional.empty()))
                .hasMessageContaining("disk pulled")
                .extracting(e -> ((AirlockException) e).code()).isEqualTo(ErrorCode.STORAGE_FAILURE);
        assertThat(regularFiles()).isEmpty();
    }

    @Test
    void aMissingArtifactIsNotFoundByItsDigest() {
        FileSystemArtifactStore store = new FileSystemArtifactStore(root);

        assertThatThrownBy(() -> store.open(HELLO_SHA256))
                .hasMessage("artifact " + HELLO_SHA256 + " is not in the store " + root.toAbsolutePath().normalize());
    }

    @Test
    void aDigestThatIsNotHexIsRefusedBeforeTouchingTheFilesystem() {
        FileSystemArtifactStore store = new FileSystemArtifactStore(root);

        assertThatThrownBy(() -> store.contains("../../etc/passwd"))
                .hasMessage("not a lower-case hex sha256: '../../etc/passwd'");
    }

    @Test
    void listsOnlyArtifactsOlderThanTheCutoffAndDeletesThem() throws IOException {
        FileSystemArtifactStore store = new FileSystemArtifactStore(root);
        store.put(new ByteArrayInputStream(HELLO), Optional.empty());
        StoredArtifact fresh = store.put(new ByteArrayInputStream(new byte[] {1, 2, 3}), Optional.empty());
        Files.setLastModifiedTime(store.path(HELLO_SHA256), FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        List<String> old = new ArrayList<>();

        store.forEach(Instant.parse("2021-01-01T00:00:00Z"), old::add);
        old.forEach(store::delete);

        assertThat(old).containsExactly(HELLO_SHA256);
        assertThat(store.contains(HELLO_SHA256)).isFalse();
        assertThat(store.contains(fresh.sha256())).isTrue();
    }

    @Test
    void concurrentWritersOfTheSameBytesAllSucceed() throws Exception {
        FileSystemArtifactStore store = new FileSystemArtifactStore(root);
        byte[] big = new byte[1 << 20];
        new java.util.Random(1).nextBytes(big);
        String expected = HexFormat.of().formatHex(Sha256.newDigest().digest(big));
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 4; i++) {
            Thread thread = new Thread(() -> {
                try {
                    store.put(new ByteArrayInputStream(big), Optional.of(expected));
                } catch (Throwable t) {
                    failures.add(t);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(failures).isEmpty();
        assertThat(store.path(expected)).hasBinaryContent(big);
        assertThat(regularFiles()).hasSize(1);
    }

    private List<Path> regularFiles() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }


    @Test
    void aBatchStoresVerifiedFilesAndSyncsThemTogether() throws IOException {
        FileSystemArtifactStore store = new FileSystemArtifactStore(root);
        try (ArtifactBatch batch = store.batch()) {
            StoredArtifact stored = batch.put(new ByteArrayInputStream(HELLO), Optional.of(HELLO_SHA256));
            batch.sync();

            assertThat(stored).isEqualTo(new StoredArtifact(HELLO_SHA256, HELLO.length));
            assertThat(store.path(HELLO_SHA256)).hasBinaryContent(HELLO);
            assertThat(batch.created()).isEqualTo(1);
        }
    }

    @Test
    void aBatchReplacesALeftoverFileWithVerifiedBytes() throws IOException {
        FileSystemArtifactStore store = new FileSystemArtifactStore(root);
        Path leftover = root.resolve("58").resolve(HELLO_SHA256.substring(2));
        Files.createDirectories(leftover.getParent());
        Files.write(leftover, new byte[] {'h', 'e'}); // a torn write from an interrupted run

        try (ArtifactBatch batch = store.batch()) {
            batch.put(new ByteArrayInputStream(HELLO), Optional.of(HELLO_SHA256));
        }

        assertThat(leftover).hasBinaryContent(HELLO);
    }

    @Test
    void adoptingAFileRenamesItIntoPlaceWithoutWritingItAgain() throws IOException {
        FileSystemArtifactStore store = new FileSystemArtifactStore(root);
        Path downloaded = Files.write(Files.createDirectories(root.resolve("tmp/download")).resolve("1.part"), HELLO);
        Object inode = Files.readAttributes(downloaded, java.nio.file.attribute.BasicFileAttributes.class).fileKey();

        try (ArtifactBatch batch = store.batch()) {
            StoredArtifact stored = batch.adopt(downloaded, HELLO_SHA256);
            batch.sync();

            assertThat(stored).isEqualTo(new StoredArtifact(HELLO_SHA256, HELLO.length));
            assertThat(batch.created()).isEqualTo(1);
        }

        assertThat(downloaded).doesNotExist();
        assertThat(store.path(HELLO_SHA256)).hasBinaryContent(HELLO);
        assertThat(Files.readAttributes(store.path(HELLO_SHA256), java.nio.file.attribute.BasicFileAttributes.class).fileKey())
                .as("the same file, renamed").isEqualTo(inode);
    }

    @Test
    void anAdoptedFileIsRemovedWhenItsBatchIsDiscarded() throws IOException {
        FileSystemArtifactStore store = new FileSystemArtifactStore(root);
        Path downloaded = Files.write(Files.createDirectories(root.resolve("tmp/download")).resolve("1.part"), HELLO);

        try (ArtifactBatch batch = store.batch()) {
            batch.adopt(downloaded, HELLO_SHA256);
            batch.discard(shas -> java.util.Set.of());
        }

        assertThat(store.contains(HELLO_SHA256)).isFalse();
    }

    @Test
    void discardingABatchRemovesWhatItCreatedExceptWhatIsKept() throws IOException {
        FileSystemArtifactStore store = new FileSystemArtifactStore(root);
        StoredArtifact kept;
        StoredArtifact dropped;
        List<List<String>> asked = new ArrayList<>();
        try (ArtifactBatch batch = store.batch()) {
            kept = batch.put(new ByteArrayInputStream(HELLO), Optional.empty());
            dropped = batch.put(new ByteArrayInputStream(new byte[] {4, 2}), Optional.empty());

            batch.discard(shas -> {
                asked.add(shas);
                return java.util.Set.of(kept.sha256());
            });
        }

        assertThat(asked).containsExactly(List.of(kept.sha256(), dropped.sha256()));
        assertThat(store.contains(kept.sha256())).isTrue();
        assertThat(store.contains(dropped.sha256())).isFalse();
        assertThat(regularFiles()).hasSize(1); // no bookkeeping left in tmp/
    }

    @Test
    void aBatchStoresBytesFromMemoryAndCanDiscardThemLikeStreamedOnes() throws IOException {
        FileSystemArtifactStore store = new FileSystemArtifactStore(root);
        try (ArtifactBatch batch = store.batch()) {
            StoredArtifact stored = batch.put(HELLO.clone(), HELLO_SHA256);

            assertThat(stored).isEqualTo(new StoredArtifact(HELLO_SHA256, HELLO.length));
            assertThat(store.path(HELLO_SHA256)).hasBinaryContent(HELLO);
            assertThat(batch.created()).isEqualTo(1);
            assertThat(regularFiles()).filteredOn(f -> f.toString().endsWith(".part")).isEmpty();

            batch.discard(shas -> java.util.Set.of()); // found in the batch's log
        }

        assertThat(store.contains(HELLO_SHA256)).isFalse();
        assertThat(regularFiles()).isEmpty();
    }

    @Test
    void bytesFromMemoryThatDoNotMatchTheExpectedSha256AreRefusedAndLeaveNothing() throws IOException {
        FileSystemArtifactStore store = new FileSystemArtifactStore(root);
        String other = "0".repeat(64);
        try (ArtifactBatch batch = store.batch()) {
            assertThatThrownBy(() -> batch.put(HELLO.clone(), other))
                    .isInstanceOf(AirlockException.class)
                    .hasMessage("artifact bytes have sha256 " + HELLO_SHA256 + " but " + other + " was expected")
                    .extracting(e -> ((AirlockException) e).code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
            assertThat(batch.created()).isZero();
        }

        assertThat(regularFiles()).isEmpty();
    }

    @Test
    void aWriteCreatesTheArtifactsDirectoryAgainWhenItWasRemovedAfterAnEarlierWrite() throws IOException {
        FileSystemArtifactStore store = new FileSystemArtifactStore(root);
        store.put(new ByteArrayInputStream(HELLO), Optional.empty());
        store.delete(HELLO_SHA256);
        Files.delete(root.resolve("58"));

        try (ArtifactBatch batch = store.batch()) {
            batch.put(HELLO.clone(), HELLO_SHA256);
        }
        store.delete(HELLO_SHA256);
        Files.delete(root.resolve("58"));
        try (ArtifactBatch batch = store.batch()) {
            batch.put(new ByteArrayInputStream(HELLO), Optional.of(HELLO_SHA256));
        }

        assertThat(store.path(HELLO_SHA256)).hasBinaryContent(HELLO);
        assertThat(regularFiles()).containsExactly(store.path(HELLO_SHA256));
    }
}
