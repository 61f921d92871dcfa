package io.airlock.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlock.spi.AirlockException;
import io.airlock.spi.Content;
import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ContentType;
import io.airlock.spi.ErrorCode;
import io.airlock.testing.TestDatabase;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class AirlockStartupTest {

    @TempDir
    Path storage;

    @Test
    void anUnreachableDatabaseIsReportedOnOneLine() {
        assertThatThrownBy(() -> Airlock.builder()
                        .jdbcUrl("jdbc:postgresql://127.0.0.1:1/nowhere")
                        .credentials("nobody", "")
                        .storage(storage)
                        .discoverPlugins(false)
                        .build())
                .isInstanceOf(AirlockException.class)
                .hasMessageStartingWith("cannot open database jdbc:postgresql://127.0.0.1:1/nowhere: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"))
                .extracting(e -> ((AirlockException) e).code()).isEqualTo(ErrorCode.DATABASE_FAILURE);
    }

    @Test
    void neitherUrlNorDataSourceIsRefused() {
        assertThatThrownBy(() -> Airlock.builder().storage(storage).build())
                .hasMessage("give either a JDBC URL or a DataSource");
    }

    @Tag("persistence")
    @Test
    void aContentTypeTheGenericResourceCannotRepresentFailsAtStartupBeforeAnyTableIsCreated() throws java.sql.SQLException {
        ContentPlugin plugin = new ContentPlugin() {
            @Override
            public String name() {
                return "keyless";
            }

            @Override
            public String version() {
                return "1.0.0";
            }

            @Override
            public List<ContentType<?>> contentTypes() {
                return List.of(ContentType.of(Keyless.class));
            }
        };
        try (TestDatabase db = TestDatabase.create()) {
            assertThatThrownBy(() -> Airlock.builder().jdbcUrl(db.url()).credentials(db.user(), db.password())
                            .storage(storage).discoverPlugins(false).plugin(plugin).build())
                    .isInstanceOf(AirlockException.class)
                    .hasMessageContaining("keyless.unit")
                    .hasMessageContaining(Keyless.class.getName())
                    .extracting(e -> ((AirlockException) e).code()).isEqualTo(ErrorCode.PLUGIN_INVALID);
            assertThat(tablesIn(db)).as("tables created before the refusal").isZero();
        }
    }

    @Tag("persistence")
    @Test
    void contentTypesReferringToEachOtherInACycleAreRefusedNamingThem() {
        ContentPlugin plugin = new ContentPlugin() {
            @Override
            public String name() {
                return "loop";
            }

            @Override
            public String version() {
                return "1.0.0";
            }

            @Override
            public List<ContentType<?>> contentTypes() {
                return List.of(ContentType.of(Hen.class), ContentType.of(Egg.class));
            }
        };
        try (TestDatabase db = TestDatabase.create()) {
            assertThatThrownBy(() -> Airlock.builder().jdbcUrl(db.url()).credentials(db.user(), db.password())
                            .storage(storage).discoverPlugins(false).plugin(plugin).build())
                    .isInstanceOf(AirlockException.class)
                    .hasMessage("content types refer to each other in a cycle, which no import order can satisfy:"
                            + " loop.hen refers to loop.egg; loop.egg refers to loop.hen")
                    .extracting(e -> ((AirlockException) e).code()).isEqualTo(ErrorCode.PLUGIN_INVALID);
        }
    }

    @Tag("persistence")
    @Test
    void listingRepositoriesAndVersionsOfAMigratedDatabaseLeavesTheOrmUnbuilt() {
        try (TestDatabase db = TestDatabase.create()) {
            try (Airlock first = migrated(db).build()) {
                first.repositories().create("b-repo", "test", "second");
                first.repositories().create("a-repo", "test", null);
                first.repositories().update("a-repo", new io.airlock.core.repository.Repositories.Update().retainVersions(3));
            }
            try (Airlock airlock = migrated(db).build()) {
                assertThat(airlock.ormStarted()).as("ORM built by a start with nothing to migrate").isFalse();
                assertThat(airlock.repositories().list())
                        .extracting(r -> r.name(), r -> r.family(), r -> r.description(), r -> r.retainVersions().orElse(-1))
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("a-repo", "test", null, 3),
                                org.assertj.core.groups.Tuple.tuple("b-repo", "test", "second", -1));
                assertThat(airlock.repositories().versions("a-repo"))
                        .extracting(v -> v.number(), v -> v.contentCount(), v -> v.complete())
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(0, 0L, true));
                assertThatThrownBy(() -> airlock.repositories().versions("nothing"))
                        .hasMessage("no repository named 'nothing'");
                assertThat(airlock.ormStarted()).as("ORM built by listing").isFalse();

                assertThat(airlock.plugins().resource("test.widget").typeId()).isEqualTo("test.widget");
                assertThat(airlock.ormStarted()).as("ORM built by the first use of a resource").isTrue();
            }
        }
    }

    @Tag("persistence")
    @Test
    void aPluginItsResourceRefusesFailsItsFirstUseWhenTheStartBuiltNoOrm() {
        ContentPlugin refused = new ContentPlugin() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public String version() {
                return "1.0.0";
            }

            @Override
            public List<ContentType<?>> contentTypes() {
                return List.of(ContentType.of(Widget.class, context -> {
                    throw new AirlockException(ErrorCode.PLUGIN_INVALID, "the widget resource refuses to start");
                }));
            }

            @Override
            public List<io.airlock.spi.Migration> migrations() {
                return new MigratedWidgetPlugin().migrations();
            }
        };
        try (TestDatabase db = TestDatabase.create()) {
            migrated(db).build().close();
            try (Airlock airlock = Airlock.builder().jdbcUrl(db.url()).credentials(db.user(), db.password())
                    .storage(storage).discoverPlugins(false).plugin(refused).build()) {
                assertThat(airlock.repositories().list()).isEmpty();
                for (int attempt = 0; attempt < 2; attempt++) {
                    assertThatThrownBy(() -> airlock.repositories().create("r", "test", null))
                            .isInstanceOf(AirlockException.class)
                            .hasMessage("plugin 'test': the widget resource refuses to start");
                }
                assertThat(airlock.ormStarted()).isFalse();
            }
        }
    }

    private Airlock.Builder migrated(TestDatabase db) {
        return Airlock.builder().jdbcUrl(db.url()).credentials(db.user(), db.password())
                .storage(storage).discoverPlugins(false).plugin(new MigratedWidgetPlugin());
    }

    private static int tablesIn(TestDatabase db) throws java.sql.SQLException {
        try (java.sql.Connection connection = db.connect(); java.sql.Statement statement = connection.createStatement();
                java.sql.ResultSet rows = statement.executeQuery("select count(*) from information_schema.tables"
                        + " where table_schema = current_schema() and table_type in ('BASE TABLE', 'TABLE')")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** Refers to the egg it came from. */
    @Entity
    @DiscriminatorValue("loop.hen")
    public static class Hen extends Content {
        @io.airlock.spi.NaturalKey
        private String name;

        @jakarta.persistence.ManyToOne
        private Egg egg;

        @Override
        public String label() {
            return name;
        }
    }

    /** Refers to the hen that laid it. */
    @Entity
    @DiscriminatorValue("loop.egg")
    public static class Egg extends Content {
        @io.airlock.spi.NaturalKey
        private String name;

        @jakarta.persistence.ManyToOne
        private Hen hen;

        @Override
        public String label() {
            return name;
        }
    }

    /** A content entity with no natural key. */
    @Entity
    @DiscriminatorValue("keyless.unit")
    public static class Keyless extends Content {
        private String name;

        @Override
        public String label() {
            return name;
        }
    }
}
