package io.airlock.core.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.core.store.WorkArea;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tar stream an export writes, read header by header: an entry whose name and size fit the
 * ustar header takes no pax header (each would add 1 KiB, a third of an export of 1 KiB artifacts),
 * and one that does not fit still gets its pax header and reads back whole.
 */
final class ArchiveWriterTarTest {

    @TempDir
    Path dir;

    /** A header of the raw stream: its type flag, the name in its ustar field, its size and modification time. */
    private record Header(char type, String name, long size, long mtime) {
    }

    @Test
    void entriesThatFitTheUstarHeaderHaveNoPaxHeaderAndTheExportsTimeInWholeSeconds() throws IOException {
        Toc toc;
        try (ArchiveWriter writer = new ArchiveWriter(dir.resolve("out"), "x", OptionalLong.empty(), work())) {
            writer.putBytes("manifest.json", "{}".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 3; i++) {
                writer.putBytes("artifacts/0" + i + "/" + "0".repeat(63) + i, new byte[1024]);
            }
            toc = writer.commit(Map.of());
        }

        List<Header> headers = headers(dir.resolve("out").resolve(toc.files().get(0).name()));

        assertThat(headers).extracting(Header::type).containsOnly('0');
        assertThat(headers).extracting(Header::name).containsExactly("manifest.json", "artifacts/00/" + "0".repeat(63) + "0",
                "artifacts/01/" + "0".repeat(63) + "1", "artifacts/02/" + "0".repeat(63) + "2");
        assertThat(headers).extracting(Header::mtime).containsOnly(toc.created().getEpochSecond());
    }

    @Test
    void aNameLongerThanTheUstarFieldStillHasItsPaxHeaderAndReadsBackWhole() throws IOException {
        String longName = "content/" + "t".repeat(150) + ".jsonl";
        Toc toc;
        try (ArchiveWriter writer = new ArchiveWriter(dir.resolve("out"), "x", OptionalLong.empty(), work())) {
            writer.putBytes(longName, "{\"a\":1}\n".getBytes(StandardCharsets.UTF_8));
            toc = writer.commit(Map.of());
        }

        assertThat(headers(dir.resolve("out").resolve(toc.files().get(0).name()))).extracting(Header::type)
                .containsExactly('x', '0');
        try (ArchiveReader reader = ArchiveReader.open(dir.resolve("out").resolve(ArchiveNames.tocName("x")))) {
            ArchiveReader.Entry entry = reader.next();
            assertThat(entry.name()).isEqualTo(longName);
            assertThat(new String(entry.content().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}\n");
        }
    }

    /** The headers of a tar file up to its end blocks, pax headers included (a tar reader hides them). */
    private static List<Header> headers(Path tar) throws IOException {
        byte[] bytes = Files.readAllBytes(tar);
        List<Header> headers = new ArrayList<>();
        int at = 0;
        while (at + 512 <= bytes.length && bytes[at] != 0) {
            String name = field(bytes, at, 100);
            long size = Long.parseLong(field(bytes, at + 124, 12).trim(), 8);
            long mtime = Long.parseLong(field(bytes, at + 136, 12).trim(), 8);
            headers.add(new Header((char) bytes[at + 156], name, size, mtime));
            at += 512 + (int) ((size + 511) / 512 * 512);
        }
        return headers;
    }

    private static String field(byte[] bytes, int offset, int length) {
        int end = offset;
        while (end < offset + length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.US_ASCII);
    }

    private WorkArea work() {
        return new WorkArea(dir.resolve("work"), Optional.empty());
    }
}
