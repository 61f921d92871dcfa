package io.airlock.core.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airlock.spi.AirlockException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class JsonLinesTest {

    @Test
    void linesLongerThanItsReadAheadAndSplitAcrossShortReadsComeBackWhole() throws IOException {
        String big = "x".repeat(200_000); // three chunks of read-ahead
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            text.append("{\"n\":").append(i).append(",\"s\":\"").append(i % 10 == 0 ? big : "v" + i).append("\"}\n");
        }

        List<ObjectNode> rows = readAll(new Trickle(text.toString().getBytes(StandardCharsets.UTF_8), 7), 1 << 20);

        assertThat(rows).hasSize(50);
        for (int i = 0; i < 50; i++) {
            assertThat(rows.get(i).get("n").asInt()).isEqualTo(i);
            assertThat(rows.get(i).get("s").asText()).isEqualTo(i % 10 == 0 ? big : "v" + i);
        }
    }

    @Test
    void aLineOfExactlyTheLimitIsReadAndOneByteMoreIsRefusedWithItsLineNumber() throws IOException {
        String fits = "{\"s\":\"" + "a".repeat(92) + "\"}"; // 100 bytes
        JsonLines lines = new JsonLines(new Trickle((fits + "\n" + fits.replace("\"}", "b\"}") + "\n").getBytes(StandardCharsets.UTF_8),
                3), "export x.tar, content/t.jsonl", 100);

        assertThat(lines.next().get("s").asText()).hasSize(92);
        assertThatThrownBy(lines::next).isInstanceOf(AirlockException.class)
                .hasMessage("export x.tar, content/t.jsonl, line 2 is longer than 100 bytes");
    }

    @Test
    void aLastLineWithoutItsNewlineIsRefusedWithItsLineNumber() throws IOException {
        JsonLines lines = new JsonLines(new ByteArrayInputStream("{\"a\":1}\n{\"a\":2}".getBytes(StandardCharsets.UTF_8)),
                "export x.tar, content/t.jsonl");

        assertThat(lines.next().get("a").asInt()).isEqualTo(1);
        assertThatThrownBy(lines::next).isInstanceOf(AirlockException.class)
                .hasMessage("export x.tar, content/t.jsonl, line 2 does not end with a newline");
    }

    @Test
    void theEndStaysTheEndAndCountsEveryLine() throws IOException {
        JsonLines lines = new JsonLines(new ByteArrayInputStream("{}\n{}\n{}\n".getBytes(StandardCharsets.UTF_8)), "e");

        int rows = 0;
        while (lines.next() != null) {
            rows++;
        }

        assertThat(rows).isEqualTo(3);
        assertThat(lines.line()).isEqualTo(3);
        assertThat(lines.next()).isNull();
    }

    private static List<ObjectNode> readAll(InputStream in, int maxLine) throws IOException {
        JsonLines lines = new JsonLines(in, "test", maxLine);
        List<ObjectNode> rows = new ArrayList<>();
        for (ObjectNode row = lines.next(); row != null; row = lines.next()) {
            rows.add(row);
        }
        return rows;
    }

    /** Gives at most {@code most} bytes per read, as a network or a tar entry boundary may. */
    private static final class Trickle extends InputStream {
        private final byte[] bytes;
        private final int most;
        private int position;

        Trickle(byte[] bytes, int most) {
            this.bytes = bytes;
            this.most = most;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] target, int offset, int length) {
            if (position == bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(length, most), bytes.length - position);
            System.arraycopy(bytes, position, target, offset, n);
            position += n;
            return n;
        }
    }
}
