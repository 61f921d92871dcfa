package io.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.airlock.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class FileRoundTripTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void contentJsonShowsEveryAddedFileWithTypeLabelAndKey() throws IOException {
        try (TestDatabase db = TestDatabase.create()) {
            Map<String, byte[]> files = Trees.sample();
            Path input = Trees.write(db.path("input"), files);
            Cli.ok(db, "repo", "create", "isos", "--type", "file");
            Cli.ok(db, "file", "add", "isos", input.toString());

            Cli.Result content = Cli.ok(db, "repo", "content", "isos", "--json");

            Map<String, JsonNode> byLabel = new TreeMap<>();
            for (String line : content.outLines()) {
                JsonNode unit = JSON.readTree(line);
                byLabel.put(unit.get("label").asText(), unit);
            }
            assertThat(byLabel.keySet()).containsExactlyInAnyOrderElementsOf(files.keySet());
            files.forEach((path, bytes) -> {
                JsonNode unit = byLabel.get(path);
                assertThat(unit.get("type").asText()).isEqualTo("file.file");
                List<String> keyValues = new ArrayList<>();
                unit.get("key").elements().forEachRemaining(value -> keyValues.add(value.asText()));
                assertThat(keyValues).containsExactlyInAnyOrder(path, sha256(bytes));
            });
        }
    }

    @Test
    void publishWritesTheAddedTreeByteForByte() {
        try (TestDatabase db = TestDatabase.create()) {
            Map<String, byte[]> files = Trees.sample();
            Path input = Trees.write(db.path("input"), files);
            Path output = db.path("published");
            Cli.ok(db, "repo", "create", "isos", "--type", "file");
            Cli.ok(db, "file", "add", "isos", input.toString());

            Cli.Result result = Cli.ok(db, "file", "publish", "isos@1", output.toString());

            assertThat(result.out()).contains("published isos@1", files.size() + " files");
            Map<String, byte[]> published = Trees.read(output);
            published.remove("PULP_MANIFEST");
            assertThat(published.keySet()).isEqualTo(files.keySet());
            files.forEach((path, bytes) -> assertThat(published.get(path)).as(path).isEqualTo(bytes));
        }
    }

    @Test
    void publishedManifestListsEveryPathWithSha256AndSize() throws IOException {
        try (TestDatabase db = TestDatabase.create()) {
            Map<String, byte[]> files = Trees.sample();
            Path input = Trees.write(db.path("input"), files);
            Path output = db.path("published");
            Cli.ok(db, "repo", "create", "isos", "--type", "file");
            Cli.ok(db, "file", "add", "isos", input.toString());

            Cli.ok(db, "file", "publish", "isos", output.toString());

            List<List<String>> manifest = new ArrayList<>();
            for (String line : Files.readAllLines(output.resolve("PULP_MANIFEST"), StandardCharsets.UTF_8)) {
                manifest.add(csv(line));
            }
            List<List<String>> expected = new ArrayList<>();
            files.forEach((path, bytes) -> expected.add(List.of(path, sha256(bytes), Integer.toString(bytes.length))));
            assertThat(manifest).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    /** Splits one CSV line; a quoted field may hold commas and doubled quotes. */
    private static List<String> csv(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
