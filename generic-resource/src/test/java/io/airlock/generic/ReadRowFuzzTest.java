package io.airlock.generic;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Content;
import io.airlock.spi.ContentKey;
import io.airlock.spi.ContentResource;
import io.airlock.spi.ContentResource.RowReader;
import io.airlock.spi.ErrorCode;
import io.airlock.testing.FuzzContract;
import io.airlock.testing.TestDatabase;
import java.io.IOException;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the generic resource's {@code readRow}: any JSON object (one line of a content entry) is
 * turned into a unit or refused with an AirlockException naming the field. The first byte picks the
 * type ({@code C}: a unit with a reference, else {@link SampleUnit}, which has every kind of field).
 */
final class ReadRowFuzzTest {

    /** References resolve to nothing: the import engine refuses an unknown reference the same way. */
    private static final RowReader NOTHING_STORED = new RowReader() {
        @Override
        public <C extends Content> C reference(Class<C> contentClass, ContentKey key) {
            throw new AirlockException(ErrorCode.NOT_FOUND, "no unit with key " + key.digest());
        }
    };

    private static TestDatabase db;
    private static SessionFactory factory;
    private static ContentResource<SampleUnit> samples;
    private static ContentResource<ChildUnit> children;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        factory = Hibernates.start(db, SampleUnit.class, ParentUnit.class, ChildUnit.class);
        TestContext context = new TestContext(factory.getMetamodel());
        samples = context.resourceFor(SampleUnit.class);
        children = context.resourceFor(ChildUnit.class);
    }

    @AfterAll
    static void stop() {
        factory.close();
        db.close();
    }

    @FuzzTest
    void readRow(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        JsonNode node;
        try {
            node = Rows.MAPPER.readTree(input, 1, input.length - 1);
        } catch (IOException e) {
            return; // not JSON: the line reader refuses it before any resource sees it
        }
        if (!(node instanceof ObjectNode row)) {
            return;
        }
        ContentResource<?> resource = input[0] == 'C' ? children : samples;
        FuzzContract.check(() -> resource.readRow(row, NOTHING_STORED));
    }
}
