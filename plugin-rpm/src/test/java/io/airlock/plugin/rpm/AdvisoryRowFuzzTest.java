package io.airlock.plugin.rpm;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Content;
import io.airlock.spi.ContentKey;
import io.airlock.spi.ContentResource.RowReader;
import io.airlock.spi.ErrorCode;
import io.airlock.testing.FuzzContract;
import java.io.IOException;

/** Fuzzes the advisory resource's hand-written {@code readRow}: any JSON object becomes an advisory or is refused. */
final class AdvisoryRowFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final RowReader NOTHING_STORED = new RowReader() {
        @Override
        public <C extends Content> C reference(Class<C> contentClass, ContentKey key) {
            throw new AirlockException(ErrorCode.NOT_FOUND, "no unit with key " + key.digest());
        }
    };

    private final AdvisoryResource resource = new AdvisoryResource();

    @FuzzTest
    void readRow(byte[] input) throws Exception {
        JsonNode node;
        try {
            node = JSON.readTree(input);
        } catch (IOException e) {
            return; // not JSON: the line reader refuses it before any resource sees it
        }
        if (node instanceof ObjectNode row) {
            FuzzContract.check(() -> resource.readRow(row, NOTHING_STORED));
        }
    }
}
