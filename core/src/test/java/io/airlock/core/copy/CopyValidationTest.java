package io.airlock.core.copy;

import static io.airlock.core.copy.Copies.repository;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlock.core.Airlock;
import io.airlock.core.Widget;
import io.airlock.core.copy.CopyRequest.Entry;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class CopyValidationTest {

    @Test
    void unknownSourceRepositoryIsNamed() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db)) {
            repository(airlock, "dst", "test");

            assertRefused(airlock, ErrorCode.NOT_FOUND, Entry.whole("nope", "dst"))
                    .hasMessage("copy request: config[0].source_repo_version: no repository named 'nope'");
        }
    }

    @Test
    void unknownSourceVersionIsNamed() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db)) {
            repository(airlock, "src", "test", new Widget("a", 1));
            repository(airlock, "dst", "test");

            assertRefused(airlock, ErrorCode.NOT_FOUND, Entry.whole("src@5", "dst"))
                    .hasMessage("copy request: config[0].source_repo_version: repository 'src' has no version 5 (latest is 1)");
        }
    }

    @Test
    void unknownDestinationIsNamed() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db)) {
            repository(airlock, "src", "test");

            assertRefused(airlock, ErrorCode.NOT_FOUND, Entry.whole("src", "nope"))
                    .hasMessage("copy request: config[0].dest_repo: no repository named 'nope'");
        }
    }

    @Test
    void baseVersionNotInTheDestinationIsNamed() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db)) {
            repository(airlock, "src", "test");
            repository(airlock, "dst", "test");

            assertRefused(airlock, ErrorCode.NOT_FOUND, Entry.whole("src", "dst").withBase(3))
                    .hasMessage("copy request: config[0].dest_base_version: repository 'dst' has no version 3 (latest is 0)");
        }
    }

    @Test
    void sourceAndDestinationOfDifferentFamiliesAreRefused() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db)) {
            repository(airlock, "src", "test");
            repository(airlock, "dst", "gadget");

            assertRefused(airlock, ErrorCode.CONFLICT, Entry.whole("src", "dst"))
                    .hasMessage("copy request: config[0]: source 'src' holds test content and destination 'dst' holds gadget content");
        }
    }

    @Test
    void unknownContentTypeIsNamed() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db)) {
            repository(airlock, "src", "test");
            repository(airlock, "dst", "test");

            assertRefused(airlock, ErrorCode.NOT_FOUND, Entry.whole("src", "dst").withContent("test.gizmo:a"))
                    .hasMessage("copy request: config[0].content[0]: unknown content type 'test.gizmo' in test.gizmo:a");
        }
    }

    @Test
    void contentTypeOfAnotherFamilyIsRefused() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db)) {
            repository(airlock, "src", "test");
            repository(airlock, "dst", "test");

            assertRefused(airlock, ErrorCode.INVALID_INPUT, Entry.whole("src", "dst").withContent("gadget.gadget:a"))
                    .hasMessage("copy request: config[0].content[0]: gadget.gadget:a cannot be in test repository 'src'"
                            + " (its type belongs to gadget)");
        }
    }

    @Test
    void contentNotInTheSourceVersionIsNamed() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db)) {
            repository(airlock, "src", "test", new Widget("a", 1));
            Copies.add(airlock, "src", new Widget("b", 1));
            repository(airlock, "dst", "test");

            assertRefused(airlock, ErrorCode.NOT_FOUND, Entry.whole("src@1", "dst").withContent("test.widget:a", "test.widget:b"))
                    .hasMessage("copy request: config[0].content[1]: test.widget:b is not in repository src@1");
        }
    }

    @Test
    void problemAfterARepeatedNameKeepsItsPositionInTheRequest() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db)) {
            repository(airlock, "src", "test", new Widget("a", 1));
            repository(airlock, "dst", "test");

            assertRefused(airlock, ErrorCode.NOT_FOUND,
                    Entry.whole("src", "dst").withContent("test.widget:a", "test.widget:a", "test.widget:zz"))
                    .hasMessage("copy request: config[0].content[2]: test.widget:zz is not in repository src@1");
        }
    }

    @Test
    void entriesSharingADestinationWithDifferentBasesAreRefused() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db)) {
            repository(airlock, "src", "test", new Widget("a", 1));
            repository(airlock, "dst", "test", new Widget("x", 1));

            assertRefused(airlock, ErrorCode.INVALID_INPUT, Entry.whole("src", "dst").withBase(0), Entry.whole("src", "dst"),
                    Entry.whole("src", "dst").withBase(1))
                    .hasMessage("copy request: config[2].dest_base_version: 1 differs from 0 given by config[0] for the"
                            + " same destination 'dst' (its entries make one version)");
        }
    }

    @Test
    void everyProblemIsReportedInOneMessageAndNothingChanges() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db)) {
            repository(airlock, "src", "test", new Widget("a", 1), new Widget("b", 1));
            repository(airlock, "dst", "test");
            repository(airlock, "gadgets", "gadget");
            Copies.State before = Copies.State.of(airlock);

            assertRefused(airlock, ErrorCode.INVALID_INPUT,
                    Entry.whole("src", "dst").withContent("test.widget:a"),
                    Entry.whole("src", "dst").withContent("test.widget:zz", "test.widget:b", "nope.type:q", "test.widget:yy"),
                    Entry.whole("missing@2", "gone"),
                    Entry.whole("src@9", "gadgets"),
                    Entry.whole("src", "dst").withBase(4))
                    .hasMessage("copy request: 8 problems: "
                            + "config[1].content[0]: test.widget:zz is not in repository src@1; "
                            + "config[1].content[2]: unknown content type 'nope.type' in nope.type:q; "
                            + "config[1].content[3]: test.widget:yy is not in repository src@1; "
                            + "config[2].source_repo_version: no repository named 'missing'; "
                            + "config[2].dest_repo: no repository named 'gone'; "
                            + "config[3].source_repo_version: repository 'src' has no version 9 (latest is 1); "
                            + "config[3]: source 'src' holds test content and destination 'gadgets' holds gadget content; "
                            + "config[4].dest_base_version: repository 'dst' has no version 4 (latest is 0)");
            assertThat(Copies.State.of(airlock)).isEqualTo(before);
        }
    }

    private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertRefused(Airlock airlock,
            ErrorCode code, Entry... entries) {
        return assertThatThrownBy(() -> new CopyEngine(airlock).copy(CopyRequest.of(List.of(entries))))
                .isInstanceOf(AirlockException.class)
                .satisfies(e -> assertThat(((AirlockException) e).code()).isEqualTo(code));
    }
}
