package io.airlock.core.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Refusals of damaged TOC files found by fuzzing (TocFuzzTest holds their inputs as seeds). */
final class TocReadTest {

    @Test
    void bytesJacksonTakesForUtf32AreAnInvalidArchiveNotAStorageFailure(@TempDir Path directory) throws Exception {
        Path toc = Files.write(directory.resolve("x-toc.json"), new byte[] {0, 0, 0, '{', '!', 'u', 'n', 'x'});

        AirlockException e = catchThrowableOfType(AirlockException.class, () -> Toc.read(toc));

        assertThat(e.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
        assertThat(e.getMessage()).startsWith("table of contents " + toc + " is not valid JSON");
    }
}
