package io.airlock.core.content;

import static io.airlock.core.TestInstallations.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.airlock.core.Airlock;
import io.airlock.core.TestInstallations;
import io.airlock.core.Widget;
import io.airlock.core.content.ContentWriter.NewUnit;
import io.airlock.core.content.ContentWriter.Saved;
import io.airlock.core.content.ContentWriter.UnitFile;
import io.airlock.core.store.StoredArtifact;
import io.airlock.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class ContentWriterTest {

    @Test
    void unitsWithAnExistingNaturalKeyAreReusedNotDuplicated() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            List<UUID> first = TestInstallations.save(airlock, new Widget("a", 1), new Widget("b", 1));

            Saved again = save(airlock, List.of(new NewUnit(new Widget("b", 1), List.of()),
                    new NewUnit(new Widget("c", 1), List.of()), new NewUnit(new Widget("a", 1), List.of())));

            assertThat(again.ids().get(0)).isEqualTo(first.get(1));
            assertThat(again.ids().get(2)).isEqualTo(first.get(0));
            assertThat(again.created()).isEqualTo(1);
            assertThat(again.reused()).isEqualTo(2);
            assertThat(count(airlock, "select count(*) from Content")).isEqualTo(3);
        }
    }

    @Test
    void theSameUnitTwiceInOneBatchIsStoredOnce() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            List<UUID> ids = TestInstallations.save(airlock, new Widget("a", 1), new Widget("a", 1));

            assertThat(ids.get(0)).isEqualTo(ids.get(1));
            assertThat(count(airlock, "select count(*) from Content")).isEqualTo(1);
        }
    }

    @Test
    void filesBecomeArtifactRowsSharedByUnitsWithTheSameBytes() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            StoredArtifact bytes = airlock.artifacts().put(new ByteArrayInputStream(new byte[] {1, 2}), Optional.empty());

            List<UUID> ids = save(airlock, List.of(
                    new NewUnit(new Widget("a", 1), List.of(new UnitFile("a.bin", Optional.of(bytes)))),
                    new NewUnit(new Widget("b", 1), List.of(new UnitFile("b.bin", Optional.of(bytes)),
                            new UnitFile("b.sig", Optional.empty()))))).ids();

            assertThat(count(airlock, "select count(*) from Artifact")).isEqualTo(1);
            Map<UUID, List<UnitFile>> files = airlock.inTransaction(s -> ContentFiles.of(s, ids));
            assertThat(files.get(ids.get(0))).containsExactly(new UnitFile("a.bin", Optional.of(bytes)));
            assertThat(files.get(ids.get(1))).containsExactly(new UnitFile("b.bin", Optional.of(bytes)),
                    new UnitFile("b.sig", Optional.empty()));
        }
    }

    @Test
    void anOnDemandFileOfAnExistingUnitGetsItsArtifactWhenGiven() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            List<UUID> ids = save(airlock, List.of(
                    new NewUnit(new Widget("a", 1), List.of(new UnitFile("a.bin", Optional.empty()))))).ids();
            StoredArtifact bytes = airlock.artifacts().put(new ByteArrayInputStream(new byte[] {7}), Optional.empty());

            save(airlock, List.of(new NewUnit(new Widget("a", 1), List.of(new UnitFile("a.bin", Optional.of(bytes))))));

            assertThat(airlock.inTransaction(s -> ContentFiles.of(s, ids)).get(ids.get(0)))
                    .containsExactly(new UnitFile("a.bin", Optional.of(bytes)));
        }
    }

    @Test
    void aPlainTypeKeepsItsClaimedContentRowAndReadsBackWithEveryField() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            Widget written = new Widget("gear", 7);
            UUID id = TestInstallations.save(airlock, written).get(0);

            Widget read = airlock.inTransaction(s -> s.get(Widget.class, id));
            assertThat(read.name()).isEqualTo("gear");
            assertThat(read.revision()).isEqualTo(7);
            assertThat(read.label()).isEqualTo("gear");
            assertThat(read.keyDigest()).isEqualTo(written.keyDigest());
            assertThat(read.typeId()).isEqualTo("test.widget");
            assertThat(count(airlock, "select count(*) from Content")).isEqualTo(1);
        }
    }

    /**
     * A bulk transaction's lookups by key on PostgreSQL: the server kept a plan made when the
     * table was empty (here forced, as it chooses by itself a few runs into a long import), and
     * 20,000 rows later a lookup must still probe the unique index, not scan the table.
     */
    @Test
    void lookupsByKeyProbeTheIndexOnPostgresqlWhateverPlanTheServerKept() {
        assumeTrue(TestDatabase.isPostgres(), "PostgreSQL's plan cache");
        String select = "select key_digest, id from content where key_digest in ";
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            airlock.inTransaction(session -> session.doReturningWork(c -> {
                execute(c, "set local plan_cache_mode = force_generic_plan");
                // The driver prepares a statement on the server at its fifth run; the plan is made then.
                for (int run = 0; run < 6; run++) {
                    int from = run * 500;
                    assertThat(ContentWriter.lookupByKey(c, select, IntStream.range(from, from + 500).mapToObj(k -> "none" + k).toList()))
                            .isEmpty();
                }
                execute(c, "insert into content (id, content_type, label, key_digest) select gen_random_uuid(), 'test.widget',"
                        + " 'w' || g, 'k' || g from generate_series(1, 20000) g");
                long scans = sequentialScansOfContent(c);

                Map<String, UUID> found = ContentWriter.lookupByKey(c, select, IntStream.range(0, 500).mapToObj(k -> "k" + (k * 40 + 1)).toList());

                assertThat(found).hasSize(500);
                assertThat(sequentialScansOfContent(c)).as("sequential scans of content during the lookup").isEqualTo(scans);
                // The rest of the transaction plans as before.
                try (Statement statement = c.createStatement(); ResultSet setting = statement.executeQuery("show enable_seqscan")) {
                    setting.next();
                    assertThat(setting.getString(1)).isEqualTo("on");
                }
                return null;
            }));
        }
    }

    /**
     * The export's and publish's batches of files on PostgreSQL, right after a large write that no
     * analyze has seen: read by index, not by scanning the link and artifact tables whole per batch.
     */
    @Test
    void filesOfABatchOfUnitsAreReadByIndexOnPostgresqlWithoutStatistics() {
        assumeTrue(TestDatabase.isPostgres(), "PostgreSQL's planner");
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            airlock.inTransaction(session -> session.doReturningWork(c -> {
                execute(c, "insert into content (id, content_type, label, key_digest) select gen_random_uuid(), 'test.widget',"
                        + " 'w' || g, 'k' || g from generate_series(1, 20000) g");
                execute(c, "insert into artifact (id, sha256, size) select gen_random_uuid(), encode(sha256(g::text::bytea), 'hex'), g"
                        + " from generate_series(1, 20000) g");
                execute(c, "insert into content_artifact (id, content_id, relative_path, artifact_id) select gen_random_uuid(), c.id,"
                        + " c.label || '.bin', a.id from content c join artifact a on a.size = substr(c.label, 2)::bigint");
                List<UUID> ids = new java.util.ArrayList<>();
                try (Statement statement = c.createStatement(); ResultSet rows = statement.executeQuery(
                        "select id from content order by key_digest limit 1000")) {
                    while (rows.next()) {
                        ids.add(rows.getObject(1, UUID.class));
                    }
                }
                long scans = sequentialScans(c, "content_artifact") + sequentialScans(c, "artifact");

                Map<UUID, List<UnitFile>> files = ContentFiles.of(session, ids);

                assertThat(files).hasSize(1000);
                assertThat(sequentialScans(c, "content_artifact") + sequentialScans(c, "artifact"))
                        .as("sequential scans of content_artifact and artifact while reading the files").isEqualTo(scans);
                return null;
            }));
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** This transaction's sequential scans of the content table so far. */
    private static long sequentialScansOfContent(Connection connection) throws SQLException {
        return sequentialScans(connection, "content");
    }

    /** This transaction's sequential scans of {@code table} so far. */
    private static long sequentialScans(Connection connection, String table) throws SQLException {
        try (java.sql.PreparedStatement statement = connection.prepareStatement("select seq_scan from pg_stat_xact_user_tables"
                + " where schemaname = current_schema() and relname = ?")) {
            statement.setString(1, table);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static Saved save(Airlock airlock, List<NewUnit> units) {
        return airlock.inTransaction(session -> airlock.contentWriter().save(session, units));
    }
}
