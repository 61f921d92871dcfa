package io.airlock.core.copy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.airlock.testing.FuzzContract;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Fuzzes the copy request parser. The first byte chooses the origin the request is read as
 * ({@code J}: request.json, {@code Y}: request.yaml, else a name without extension, so the parser
 * sniffs), the rest is the document.
 */
final class RequestParserFuzzTest {

    @FuzzTest
    void request(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        String origin = switch (input[0]) {
            case 'J' -> "request.json";
            case 'Y' -> "request.yaml";
            default -> "request";
        };
        String text = new String(Arrays.copyOfRange(input, 1, input.length), StandardCharsets.UTF_8);
        FuzzContract.check(() -> RequestParser.parse(text, origin));
    }
}
