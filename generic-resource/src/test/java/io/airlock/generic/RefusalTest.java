package io.airlock.generic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.airlock.spi.AirlockException;
import io.airlock.spi.Content;
import io.airlock.spi.ContentType;
import io.airlock.spi.ErrorCode;
import io.airlock.testing.TestDatabase;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Entities the generic resource cannot represent faithfully are refused when it is created. */
@Tag("persistence")
final class RefusalTest {

    @Test
    void refusesAnEntityWithoutNaturalKey() {
        assertThat(refusal(BadUnits.NoKey.class))
                .contains("test.nokey", BadUnits.NoKey.class.getName(), "no field marked @NaturalKey");
    }

    @Test
    void refusesAOneToManyAssociation() {
        assertThat(refusal(BadUnits.WithOneToMany.class))
                .contains("test.onetomany", BadUnits.WithOneToMany.class.getName(), "'children'", "one-to-many");
    }

    @Test
    void refusesAManyToOneToAnEntityThatIsNotContent() {
        assertThat(refusal(BadUnits.WithForeignReference.class))
                .contains("test.foreignref", BadUnits.WithForeignReference.class.getName(), "'note'", "many-to-one",
                        Note.class.getName(), "not a content type");
    }

    @Test
    void refusesAnUnsupportedAttributeType() {
        assertThat(refusal(BadUnits.WithCalendar.class))
                .contains("test.calendar", BadUnits.WithCalendar.class.getName(), "'due'", "java.util.Calendar");
    }

    @Test
    void namesTheDeclaredTypeOfARefusedAttributeNotHibernatesOwn() {
        assertThat(refusal(BadUnits.WithDate.class))
                .contains("test.date", "attribute 'due' is declared as java.util.Date,")
                .doesNotContain("java.sql.Timestamp");
    }

    @Test
    void refusesANaturalKeyThatIsNotBasic() {
        assertThat(refusal(BadUnits.WithEmbeddedKey.class))
                .contains("test.embeddedkey", BadUnits.WithEmbeddedKey.class.getName(), "'checksum'", "@NaturalKey",
                        "an embeddable");
    }

    private static <T extends Content> String refusal(Class<T> entity) {
        try (TestDatabase db = TestDatabase.create();
                SessionFactory factory = Hibernates.start(db, BadUnits.ALL.toArray(Class<?>[]::new))) {
            AirlockException e = catchThrowableOfType(AirlockException.class,
                    () -> GenericContentResource.create(ContentType.of(entity), new TestContext(factory.getMetamodel())));
            assertThat(e).as("refusal of %s", entity.getName()).isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.PLUGIN_INVALID);
            assertThat(e.getMessage()).doesNotContain("\n");
            return e.getMessage();
        }
    }
}
