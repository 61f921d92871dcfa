package io.airlock.core.archive;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.airlock.testing.FuzzContract;
import java.io.ByteArrayInputStream;

/** Fuzzes the JSON Lines reader of content rows, links and the artifact list: every line is an object or refused. */
final class JsonLinesFuzzTest {

    @FuzzTest
    void rows(byte[] input) throws Exception {
        FuzzContract.check(() -> {
            JsonLines lines = new JsonLines(new ByteArrayInputStream(input), "export fuzz.tar, content/file.file.jsonl");
            while (lines.next() != null) {
                lines.at();
            }
        });
    }
}
