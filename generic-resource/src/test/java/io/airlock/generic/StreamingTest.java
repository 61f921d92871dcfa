package io.airlock.generic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import io.airlock.spi.ContentType;
import io.airlock.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class StreamingTest {

    @Test
    void writesRowsOneAfterAnotherWithoutClosingTheGenerator() throws IOException {
        try (TestDatabase db = TestDatabase.create(); SessionFactory factory = Hibernates.start(db, ParentUnit.class)) {
            GenericContentResource<ParentUnit> resource = GenericContentResource.create(ContentType.of(ParentUnit.class),
                    new TestContext(factory.getMetamodel()));
            CloseTracking target = new CloseTracking();
            JsonGenerator out = Rows.MAPPER.createGenerator(target);
            out.setRootValueSeparator(null);

            resource.writeRow(new ParentUnit("a", null), out);
            out.writeRaw('\n');
            resource.writeRow(new ParentUnit("b", null), out);
            out.flush();

            assertThat(out.isClosed()).isFalse();
            assertThat(target.closed).isFalse();
            assertThat(target.toString(StandardCharsets.UTF_8))
                    .isEqualTo("{\"created\":null,\"name\":\"a\"}\n{\"created\":null,\"name\":\"b\"}");
        }
    }

    private static final class CloseTracking extends ByteArrayOutputStream {
        boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }
}
