package io.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

final class SchemaCommandTest {

    @Test
    void sqlPrintsEveryMigrationOfTheCoreAndThePluginsInOrder() {
        Cli.Result result = Cli.run("schema", "sql", "--db-kind", "postgresql");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).containsSubsequence("create table if not exists airlock_schema_history",
                "-- core migration 1: core tables and scratch tables", "create table if not exists version_draft_unit",
                "insert into airlock_schema_history", "-- file migration 1: file content tables",
                "create table if not exists file_content", "-- rpm migration 1: rpm content tables", "jsonb");
    }

    @Test
    void sqlForH2UsesH2Types() {
        Cli.Result result = Cli.run("schema", "sql", "--db-kind", "h2");

        assertThat(result.out()).contains("create table if not exists rpm_package").doesNotContain("jsonb");
    }

    @Test
    void anUnknownDatabaseKindIsAUsageError() {
        Cli.Result result = Cli.run("schema", "sql", "--db-kind", "oracle");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("unknown database kind 'oracle' (known: h2, postgresql)");
    }

    @Tag("persistence")
    @Test
    void statusShowsWhatAStartApplied() {
        try (TestDatabase db = TestDatabase.create()) {
            Cli.Result before = Cli.ok(db, "schema", "status");
            Cli.ok(db, "repo", "list");
            Cli.Result after = Cli.ok(db, "schema", "status");

            assertThat(before.outLines()).containsExactly("MODULE  APPLIED  AVAILABLE  PENDING", "core    -        1,2,3,4    1,2,3,4",
                    "file    -        1          1", "rpm     -        1,2,3      1,2,3");
            assertThat(after.outLines()).containsExactly("MODULE  APPLIED  AVAILABLE  PENDING", "core    1,2,3,4  1,2,3,4    -",
                    "file    1        1          -", "rpm     1,2,3    1,2,3      -");
        }
    }
}
