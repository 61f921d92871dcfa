package io.airlock.plugin.rpm.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class Utf8WriterTest {

    /** Chars of every UTF-8 length, both surrogate halves alone and paired, and markup. */
    private static final char[] ALPHABET = {'a', 'Z', '<', '&', '\n', 'é', 'ß', '€', '中', '\uD83D', '\uDE00', '\uFFFD'};

    @Test
    void writesTheBytesTheJdksEncoderWritesForRandomTextInRandomPieces() throws IOException {
        Random random = new Random(11);
        for (int round = 0; round < 200; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(300);
            for (int i = 0; i < length; i++) {
                text.append(ALPHABET[random.nextInt(ALPHABET.length)]);
            }
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            ByteArrayOutputStream actual = new ByteArrayOutputStream();
            // A buffer of 16 bytes so that pieces cross its end; the same pieces to both writers.
            try (Writer jdk = new OutputStreamWriter(expected, StandardCharsets.UTF_8); Writer ours = new Utf8Writer(actual, 16)) {
                int at = 0;
                while (at < text.length()) {
                    int piece = Math.min(text.length() - at, random.nextInt(40));
                    jdk.write(text.toString(), at, piece);
                    ours.write(text.toString(), at, piece);
                    at += piece;
                }
            }

            assertThat(actual.toByteArray()).as("text %s", text).isEqualTo(expected.toByteArray());
        }
    }

    @Test
    void aPairSplitAcrossTwoWritesIsOneFourByteCharacter() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Writer writer = new Utf8Writer(out, 64)) {
            writer.write("x\uD83D");
            writer.write("\uDE00y");
        }

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("x\uD83D\uDE00y");
    }
}
