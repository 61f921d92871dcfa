package io.airlock.generic;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.spi.ContentType;
import io.airlock.testing.TestDatabase;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exports a fully populated unit and an empty one from database A, imports them into a fresh
 * database B, and compares every attribute kind as loaded from each database. The round trip runs
 * once; each kind is one parameterized case so a broken kind names itself.
 */
@Tag("persistence")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class RoundTripTest {

    private static final Map<String, Function<SampleUnit, Object>> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("String", u -> u.text);
        KINDS.put("long", u -> u.count);
        KINDS.put("Integer", u -> u.boxedInt);
        KINDS.put("short", u -> u.small);
        KINDS.put("Byte", u -> u.tiny);
        KINDS.put("double", u -> u.ratio);
        KINDS.put("Float", u -> u.weight);
        KINDS.put("char", u -> u.letter);
        KINDS.put("BigDecimal", u -> u.amount);
        KINDS.put("BigInteger", u -> u.big);
        KINDS.put("boolean", u -> u.flag);
        KINDS.put("Boolean", u -> u.boxedFlag);
        KINDS.put("enum as string", u -> u.color);
        KINDS.put("enum as ordinal", u -> u.shade);
        KINDS.put("Instant", u -> u.instant);
        KINDS.put("LocalDate", u -> u.released);
        KINDS.put("LocalDateTime", u -> u.moment);
        KINDS.put("LocalTime", u -> u.clock);
        KINDS.put("OffsetDateTime", u -> u.offsetMoment);
        KINDS.put("Duration", u -> u.duration);
        KINDS.put("UUID", u -> u.uuid);
        KINDS.put("byte[]", u -> u.data);
        KINDS.put("embeddable", u -> u.checksum);
        KINDS.put("nested embeddable", u -> u.origin);
        KINDS.put("element collection: list of strings", u -> u.tags);
        KINDS.put("element collection: set of integers", u -> u.numbers);
        KINDS.put("element collection: list of embeddables", u -> u.checksums);
        KINDS.put("element collection: map of strings", u -> u.attributes);
        KINDS.put("JSON column: Map<String, Object>", u -> u.metadata);
        KINDS.put("JSON column: List<String>", u -> u.jsonTags);
        KINDS.put("JSON column: record", u -> u.dimensions);
    }

    private final Map<String, Map<String, Object>> exported = new HashMap<>();
    private final Map<String, Map<String, Object>> imported = new HashMap<>();

    @BeforeAll
    void roundTrip() {
        try (TestDatabase a = TestDatabase.create(); TestDatabase b = TestDatabase.create()) {
            List<String> rows = new ArrayList<>();
            try (SessionFactory source = Hibernates.start(a, SampleUnit.class)) {
                GenericContentResource<SampleUnit> resource = resource(source);
                source.inTransaction(session -> {
                    for (SampleUnit unit : List.of(full(), new SampleUnit("empty", 1))) {
                        unit.assignIdentity(resource.naturalKey(unit));
                        session.persist(unit);
                    }
                });
                source.inSession(session -> {
                    List<SampleUnit> units = session.createSelectionQuery("from SampleUnit order by name", SampleUnit.class)
                            .getResultList();
                    resource.prepareForWrite(session, units);
                    for (SampleUnit unit : units) {
                        rows.add(Rows.write(resource, unit));
                        exported.put(unit.name, snapshot(unit));
                    }
                });
            }
            try (SessionFactory target = Hibernates.start(b, SampleUnit.class)) {
                GenericContentResource<SampleUnit> resource = resource(target);
                target.inTransaction(session -> {
                    List<SampleUnit> units = new ArrayList<>();
                    for (String row : rows) {
                        SampleUnit unit = resource.readRow(Rows.parse(row), TestContext.NO_REFERENCES);
                        unit.assignIdentity(resource.naturalKey(unit));
                        units.add(unit);
                    }
                    resource.insertAll(session, units);
                });
                target.inSession(session -> {
                    for (SampleUnit unit : session.createSelectionQuery("from SampleUnit", SampleUnit.class).getResultList()) {
                        imported.put(unit.name, snapshot(unit));
                    }
                });
            }
        }
    }

    static Stream<Arguments> kinds() {
        return KINDS.keySet().stream().flatMap(kind -> Stream.of(Arguments.of(kind, "alpha"), Arguments.of(kind, "empty")));
    }

    @ParameterizedTest(name = "{0} ({1} unit)")
    @MethodSource("kinds")
    void attributeKindSurvivesExportAndImport(String kind, String unit) {
        Object before = exported.get(unit).get(kind);
        if (unit.equals("alpha")) {
            assertThat(before).as("%s is populated in the source", kind).isNotNull();
            if (before instanceof Collection<?> c) {
                assertThat(c).as("%s is populated in the source", kind).isNotEmpty();
            }
        }
        assertThat(imported).as("units imported").containsKey(unit);
        assertThat(imported.get(unit).get(kind)).as("%s after export and import", kind).isEqualTo(before);
    }

    private static GenericContentResource<SampleUnit> resource(SessionFactory factory) {
        return GenericContentResource.create(ContentType.of(SampleUnit.class), new TestContext(factory.getMetamodel()));
    }

    /** The kinds' values, with Hibernate's collections copied (a persistent bag compares by identity). */
    private static Map<String, Object> snapshot(SampleUnit unit) {
        Map<String, Object> values = new HashMap<>();
        KINDS.forEach((kind, value) -> {
            Object v = value.apply(unit);
            if (v instanceof List<?> list) {
                v = new ArrayList<>(list);
            } else if (v instanceof Set<?> set) {
                v = new HashSet<>(set);
            } else if (v instanceof Map<?, ?> map) {
                v = new HashMap<>(map);
            }
            values.put(kind, v);
        });
        return values;
    }

    private static SampleUnit full() {
        SampleUnit u = new SampleUnit("alpha", 3);
        u.text = "hello \"world\"\n";
        u.count = Long.MAX_VALUE;
        u.boxedInt = -7;
        u.small = 12;
        u.tiny = -3;
        u.ratio = 0.1;
        u.weight = 2.5f;
        u.letter = 'x';
        u.amount = new BigDecimal("12345678901234567890.123456");
        u.big = new BigInteger("123456789012345678901234567890");
        u.flag = true;
        u.boxedFlag = false;
        u.color = Color.GREEN;
        u.shade = Color.BLUE;
        u.instant = Instant.parse("2024-05-06T07:08:09.123456Z");
        u.released = LocalDate.of(2024, 2, 29);
        u.moment = LocalDateTime.parse("2024-01-02T03:04:05.678");
        u.clock = LocalTime.of(12, 34, 56);
        u.offsetMoment = OffsetDateTime.parse("2024-01-02T03:04:05+02:00");
        u.duration = Duration.ofSeconds(90061, 1000);
        u.uuid = UUID.fromString("0190f0c4-8d2a-7b3c-9d4e-5f6a7b8c9d0e");
        u.data = new byte[] {0, 1, 2, (byte) 255};
        u.checksum = new Checksum("sha256", "abc");
        u.origin = new Origin("example.org", new Checksum("md5", "def"));
        u.tags.addAll(List.of("b", "a", "c"));
        u.numbers.addAll(Set.of(3, 1, 2));
        u.checksums.addAll(List.of(new Checksum("sha1", "111"), new Checksum("sha512", "222")));
        u.attributes.putAll(Map.of("k2", "v2", "k1", "v1"));
        u.metadata = new HashMap<>(Map.of("n", 1, "s", "x", "list", List.of(1, 2), "nested", Map.of("a", true)));
        u.jsonTags = List.of("x", "y");
        u.dimensions = new Dimensions(3, 4, "cm");
        return u;
    }
}
