package io.airlock.core.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlock.core.store.ArtifactBatch;
import io.airlock.core.store.FileSystemArtifactStore;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small artifacts written from the pool: all stored, and a failure reported as the earliest one, with its place. */
final class ArtifactWritersTest {

    @TempDir
    Path root;

    @Test
    void everySubmittedArtifactIsStoredOnceAllAreAwaited() throws Exception {
        FileSystemArtifactStore store = new FileSystemArtifactStore(root);
        List<String> digests = new ArrayList<>();
        try (ArtifactBatch batch = store.batch(); ArtifactWriters writers = new ArtifactWriters(batch)) {
            for (int i = 0; i < 2_000; i++) {
                byte[] bytes = ("artifact " + i).getBytes(StandardCharsets.UTF_8);
                String sha256 = sha256(bytes);
                digests.add(sha256);
                writers.submit(sha256, bytes, "entry " + i);
            }
            writers.awaitAll();

            assertThat(batch.created()).isEqualTo(2_000);
        }
        assertThat(digests).allMatch(store::contains);
    }

    @Test
    void theEarliestFailureIsReportedWithItsPlaceWhicheverThreadEndsFirst() throws Exception {
        FileSystemArtifactStore store = new FileSystemArtifactStore(root);
        try (ArtifactBatch batch = store.batch(); ArtifactWriters writers = new ArtifactWriters(batch)) {
            for (int i = 0; i < 500; i++) {
                byte[] bytes = ("artifact " + i).getBytes(StandardCharsets.UTF_8);
                // Entries 120 and 121 carry other bytes than their names say.
                String claimed = sha256(i == 120 || i == 121 ? "something else".getBytes(StandardCharsets.UTF_8) : bytes);
                try {
                    writers.submit(claimed, bytes, "entry " + i);
                } catch (AirlockException e) {
                    break; // reported at a later submit: the same failure awaitAll reports below
                }
            }

            assertThatThrownBy(writers::awaitAll).isInstanceOfSatisfying(AirlockException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
                assertThat(e.getMessage()).startsWith("entry 120: ");
            });
        }
    }

    @Test
    void closingBeforeTheWritesEndedDropsThoseNotStartedAndLeavesTheOthersWhole() throws Exception {
        FileSystemArtifactStore store = new FileSystemArtifactStore(root);
        int submitted = 20_000; // 20 MiB: all queued at once, far more than two threads write in the moment before close
        List<String> digests = new ArrayList<>();
        long stored;
        try (ArtifactBatch batch = store.batch()) {
            try (ArtifactWriters writers = new ArtifactWriters(batch)) {
                for (int i = 0; i < submitted; i++) {
                    byte[] bytes = ("artifact " + i + " ").repeat(100).getBytes(StandardCharsets.UTF_8);
                    String sha256 = sha256(bytes);
                    digests.add(sha256);
                    writers.submit(sha256, bytes, "entry " + i);
                }
            }
            stored = batch.created();
        }

        assertThat(stored).isLessThan(submitted);
        assertThat(digests.stream().filter(store::contains).count()).isEqualTo(stored);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
