package io.airlock.core.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.airlock.spi.AirlockException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A request with many problems is refused with one line of bounded length (found by RequestParserFuzzTest). */
final class ProblemsTest {

    @Test
    void manyProblemsAreCountedAndTheListIsCutShort() {
        String entries = IntStream.range(0, 400)
                .mapToObj(i -> "{\"source_repo_version\": \"a@x\", \"dest_repo\": \"b\", \"" + "k".repeat(300) + i + "\": 1}")
                .collect(Collectors.joining(", "));

        AirlockException e = catchThrowableOfType(AirlockException.class,
                () -> CopyRequest.parse("{\"config\": [" + entries + "]}", "r.json"));

        assertThat(e.getMessage()).startsWith("copy request r.json: 800 problems: config[0].")
                .endsWith(" more").contains("; … and ").doesNotContain("\n").hasSizeLessThan(1000);
    }
}
