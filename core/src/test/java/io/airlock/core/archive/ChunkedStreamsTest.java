package io.airlock.core.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.airlock.core.store.WorkArea;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export's byte stream is written and read on threads of their own (ChunkedOutput,
 * ChunkedInput): the chunks must still hold exactly the bytes in order with the right checksums, a
 * damaged chunk must fail the read before any byte after it is delivered, and no thread may outlive
 * its stream.
 */
final class ChunkedStreamsTest {

    /** Not a multiple of the 1 MiB blocks the threads pass on, so chunk ends fall inside blocks. */
    private static final long CHUNK = 1_500_007;

    @TempDir
    Path dir;

    @Test
    void chunksCutAcrossBlocksHoldTheStreamInOrderWithTheirOwnChecksums() throws Exception {
        byte[] payload = random(5_000_000);
        Toc toc = export("x", payload);

        ByteArrayOutputStream concatenated = new ByteArrayOutputStream();
        for (Toc.TocFile file : toc.files()) {
            byte[] bytes = Files.readAllBytes(dir.resolve("out").resolve(file.name()));
            assertThat(bytes.length).isEqualTo(file.size());
            assertThat(sha256(bytes)).isEqualTo(file.sha256());
            concatenated.write(bytes);
        }
        assertThat(toc.files()).hasSizeGreaterThan(3);
        assertThat(toc.files()).allSatisfy(f -> assertThat(f.size()).isLessThanOrEqualTo(CHUNK));
        try (ArchiveReader reader = ArchiveReader.open(dir.resolve("out").resolve("x-toc.json"))) {
            ArchiveReader.Entry entry = reader.next();
            assertThat(entry.name()).isEqualTo("payload.bin");
            assertThat(entry.content().readAllBytes()).isEqualTo(payload);
            reader.finish();
        }
        assertThat(concatenated.size()).isGreaterThan(payload.length);
        assertThat(liveThreads()).isEmpty();
    }

    @Test
    void aDamagedChunkFailsNamingItBeforeAnyByteOfTheNextChunkIsRead() throws Exception {
        Toc toc = export("x", random(5_000_000));
        Toc.TocFile damaged = toc.files().get(1);
        try (RandomAccessFile file = new RandomAccessFile(dir.resolve("out").resolve(damaged.name()).toFile(), "rw")) {
            file.seek(damaged.size() / 2);
            int b = file.read();
            file.seek(damaged.size() / 2);
            file.write(b ^ 0x01);
        }

        ChunkedInput input = new ChunkedInput(dir.resolve("out"), toc.files());
        byte[] buffer = new byte[8192];
        AirlockException failure = catchThrowableOfType(() -> {
            while (input.read(buffer, 0, buffer.length) >= 0) {
                // read until the damaged chunk's check
            }
        }, AirlockException.class);
        long delivered = input.position();
        input.close();

        assertThat(failure.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
        assertThat(failure.getMessage()).contains(damaged.name()).contains("sha256");
        assertThat(delivered).isEqualTo(toc.files().get(0).size() + damaged.size());
        assertThat(liveThreads()).isEmpty();
    }

    @Test
    void closingAReaderPartWayStopsItsThread() throws Exception {
        Toc toc = export("x", random(5_000_000));

        ChunkedInput input = new ChunkedInput(dir.resolve("out"), toc.files());
        assertThat(input.read(new byte[10], 0, 10)).isEqualTo(10);
        assertThat(liveThreads()).contains("airlock-import-reader");
        input.close();

        assertThat(liveThreads()).isEmpty();
        assertThat(catchThrowableOfType(() -> input.read(new byte[10], 0, 10), IOException.class)).isNotNull();
    }

    @Test
    void anExportClosedWithoutCommitStopsItsThreadAndLeavesNothing() throws Exception {
        Path out = dir.resolve("out");
        try (ArchiveWriter writer = new ArchiveWriter(out, "x", OptionalLong.of(CHUNK), work())) {
            byte[] payload = random(3_000_000);
            writer.put("payload.bin", payload.length, new ByteArrayInputStream(payload));
            assertThat(liveThreads()).contains("airlock-export-writer");
        }

        assertThat(liveThreads()).isEmpty();
        try (Stream<Path> left = Files.list(out)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aShortEntryFailsTheExportAndItsThreadEnds() throws Exception {
        Path out = dir.resolve("out");
        AirlockException failure;
        try (ArchiveWriter writer = new ArchiveWriter(out, "x", OptionalLong.of(CHUNK), work())) {
            InputStream shortBody = new ByteArrayInputStream(random(100));
            failure = catchThrowableOfType(() -> writer.put("payload.bin", 2_000_000, shortBody), AirlockException.class);
        }

        assertThat(failure.getMessage()).contains("payload.bin").contains("100 bytes");
        assertThat(liveThreads()).isEmpty();
    }

    private Toc export(String name, byte[] payload) throws IOException {
        try (ArchiveWriter writer = new ArchiveWriter(dir.resolve("out"), name, OptionalLong.of(CHUNK), work())) {
            writer.put("payload.bin", payload.length, new ByteArrayInputStream(payload));
            return writer.commit(Map.of());
        }
    }

    private WorkArea work() {
        return new WorkArea(dir.resolve("work"), Optional.empty());
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        SplittableRandom random = new SplittableRandom(size);
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** The names of the stream threads still alive (a thread may take a moment to end after join: none here). */
    private static List<String> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.equals("airlock-export-writer") || n.equals("airlock-import-reader")).toList();
    }
}
