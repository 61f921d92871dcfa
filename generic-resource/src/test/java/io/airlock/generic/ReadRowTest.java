package io.airlock.generic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ContentType;
import io.airlock.spi.ErrorCode;
import io.airlock.testing.TestDatabase;
import java.util.function.Consumer;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Rows that do not match the entity are refused with a message naming the type and the field. */
@Tag("persistence")
final class ReadRowTest {

    @Test
    void refusesARowWithAMissingField() {
        assertThat(refusal(row -> row.remove("text"))).contains("test.sample", "'text'", "missing");
    }

    @Test
    void refusesARowWithAnUnknownField() {
        assertThat(refusal(row -> row.put("colour", "RED"))).contains("test.sample", "'colour'", "unknown");
    }

    @Test
    void refusesAStringWhereANumberIsExpected() {
        assertThat(refusal(row -> row.put("boxedInt", "12"))).contains("test.sample", "'boxedInt'", "integer");
    }

    @Test
    void refusesANumberOutOfRange() {
        assertThat(refusal(row -> row.put("small", 70_000))).contains("test.sample", "'small'", "-32768 to 32767");
    }

    @Test
    void refusesNullForAPrimitive() {
        assertThat(refusal(row -> row.putNull("count"))).contains("test.sample", "'count'", "must not be null");
    }

    @Test
    void namesTheNestedFieldOfAnEmbeddable() {
        assertThat(refusal(row -> ((ObjectNode) row.get("origin").get("signature")).put("hex", 5)))
                .contains("test.sample", "'origin.signature.hex'", "string");
    }

    @Test
    void refusesAMistypedJsonColumn() {
        assertThat(refusal(row -> ((ObjectNode) row.get("dimensions")).put("width", "wide")))
                .contains("test.sample", "'dimensions'", "declared type");
    }

    @Test
    void refusesAnUnknownEnumName() {
        assertThat(refusal(row -> row.put("color", "PURPLE"))).contains("test.sample", "'color'", "PURPLE");
    }

    @Test
    void refusesAStringLongerThanItsColumn() {
        // name is @Column without a length: 255 characters, as the database column holds.
        assertThat(refusal(row -> row.put("name", "n".repeat(15 << 20))))
                .isEqualTo("row of content type test.sample: field 'name' is longer than its column's 255 characters (15728640)");
    }

    private static String refusal(Consumer<ObjectNode> damage) {
        try (TestDatabase db = TestDatabase.create(); SessionFactory factory = Hibernates.start(db, SampleUnit.class)) {
            GenericContentResource<SampleUnit> resource = GenericContentResource.create(ContentType.of(SampleUnit.class),
                    new TestContext(factory.getMetamodel()));
            SampleUnit unit = new SampleUnit("alpha", 1);
            unit.origin = new Origin("example.org", new Checksum("md5", "abc"));
            unit.dimensions = new Dimensions(1, 2, "mm");
            ObjectNode row = Rows.parse(Rows.write(resource, unit));
            assertThat(resource.readRow(row.deepCopy(), TestContext.NO_REFERENCES).name).isEqualTo("alpha");
            damage.accept(row);

            AirlockException e = catchThrowableOfType(AirlockException.class,
                    () -> resource.readRow(row, TestContext.NO_REFERENCES));

            assertThat(e).isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
            assertThat(e.getMessage()).doesNotContain("\n");
            return e.getMessage();
        }
    }
}
