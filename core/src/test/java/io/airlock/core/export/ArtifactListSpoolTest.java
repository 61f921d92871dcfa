package io.airlock.core.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.core.archive.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spooled artifact list reads back whole however long it is (a million artifacts are about 80 MiB). */
final class ArtifactListSpoolTest {

    @TempDir
    Path directory;

    @Test
    void aListLongerThanTheLongestJsonDocumentReadsBackInOrder() throws Exception {
        Path list = directory.resolve("artifacts");
        int artifacts = 250_000;
        try (ArtifactListSpool.Writer spool = ArtifactListSpool.create(list)) {
            for (int i = 0; i < artifacts; i++) {
                spool.add(sha256Of(i), i);
            }
        }
        assertThat(Files.size(list)).isGreaterThan(Json.MAX_LINE);

        long[] read = {0};
        boolean[] inOrder = {true};
        ArtifactListSpool.forEach(list, (sha256, size) -> {
            inOrder[0] &= sha256.equals(sha256Of((int) read[0])) && size == read[0];
            read[0]++;
        });

        assertThat(read[0]).isEqualTo(artifacts);
        assertThat(inOrder[0]).isTrue();
        assertThat(list).doesNotExist();
    }

    private static String sha256Of(int i) {
        return HexFormat.of().toHexDigits(i).repeat(8);
    }
}
