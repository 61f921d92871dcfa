package io.airlock.core.copy;

import static io.airlock.core.copy.Copies.repository;
import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.core.Airlock;
import io.airlock.core.Widget;
import io.airlock.core.copy.CopyRequest.Entry;
import io.airlock.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class CopyProgressTest {

    @Test
    void aCopyReportsPlanningEntriesAndDestinationsUpToTheirTotals() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db)) {
            repository(airlock, "widgets", "test", new Widget("a", 1), new Widget("b", 1));
            repository(airlock, "gadgets", "gadget", Gadget.plain("g"));
            repository(airlock, "more-gadgets", "gadget", Gadget.plain("h"));
            repository(airlock, "widgets-copy", "test");
            repository(airlock, "gadgets-copy", "gadget");
            List<String> events = new ArrayList<>();

            new CopyEngine(airlock).copy(CopyRequest.of(List.of(Entry.whole("widgets", "widgets-copy"),
                    Entry.whole("gadgets", "gadgets-copy"), Entry.whole("more-gadgets", "gadgets-copy"))),
                    (phase, done, total) -> events.add(phase + " " + done + "/" + total));

            assertThat(events).containsSubsequence("plan 2/2", "entries 1/3", "entries 2/3", "entries 3/3",
                    "destinations 1/2", "destinations 2/2");
            assertThat(events).last().isEqualTo("destinations 2/2");
        }
    }
}
