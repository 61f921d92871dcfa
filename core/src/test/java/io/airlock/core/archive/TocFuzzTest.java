package io.airlock.core.archive;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.airlock.testing.FuzzContract;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Fuzzes {@link Toc#read}: any TOC file is read or refused with an AirlockException (docs/fuzzing.md). */
final class TocFuzzTest {

    @TempDir
    static Path directory;

    @FuzzTest
    void toc(byte[] input) throws Exception {
        Path file = directory.resolve("fuzz-toc.json");
        Files.write(file, input);
        FuzzContract.check(() -> Toc.read(file));
    }
}
