package io.airlock.plugin.rpm;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.core.Airlock;
import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ContentType;
import io.airlock.spi.Migration;
import io.airlock.spi.copy.CopyPolicy;
import io.airlock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A package's dependency lists and primary file list ({@link JsonText}): text on H2 since rpm
 * migration 4, the database's JSON type on PostgreSQL, the same values either way.
 */
@Tag("persistence")
final class RpmPackageColumnsTest {

    @Test
    void dependencyListsAreTextOnH2AndJsonbOnPostgres() throws SQLException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            RpmCopyTest.sync(airlock, db, "el9", RpmRoundTripTest.full());

            assertThat(columnType(db, "requires")).isEqualTo(TestDatabase.isPostgres() ? "jsonb" : "character varying");
            assertThat(columnType(db, "files")).isEqualTo(TestDatabase.isPostgres() ? "jsonb" : "character varying");
            RpmPackage bash = RpmSyncDetailsTest.pkg(airlock, "el9", "bash-5.1.8-6.el9.x86_64");
            assertThat(bash.requires()).containsExactly(new RpmDependency("/bin/sh", null, null, null, null, true),
                    new RpmDependency("libc.so.6(GLIBC_2.34)(64bit)", null, null, null, null, false),
                    new RpmDependency("(bash-completion if sh-utils)", null, null, null, null, false));
            assertThat(bash.files()).extracting(RpmFile::path).containsExactly("/usr/bin/bash", "/etc/bash.d", "/var/log/bash");
        }
    }

    @Test
    void packagesSyncedBeforeMigration4KeepTheirListsAfterIt() {
        try (TestDatabase db = TestDatabase.create()) {
            RpmPackage before;
            try (Airlock airlock = open(db, withMigrations(3))) {
                RpmCopyTest.sync(airlock, db, "el9", RpmRoundTripTest.full());
                before = RpmSyncDetailsTest.pkg(airlock, "el9", "bash-5.1.8-6.el9.x86_64");
            }

            try (Airlock airlock = RpmTests.open(db)) {
                RpmPackage after = RpmSyncDetailsTest.pkg(airlock, "el9", "bash-5.1.8-6.el9.x86_64");

                assertThat(before.requires()).isNotEmpty();
                assertThat(after.requires()).isEqualTo(before.requires());
                assertThat(after.provides()).isEqualTo(before.provides());
                assertThat(after.files()).isNotEmpty().isEqualTo(before.files());
            }
        }
    }

    private static Airlock open(TestDatabase db, ContentPlugin plugin) {
        return Airlock.builder().jdbcUrl(db.url()).credentials(db.user(), db.password())
                .storage(db.path("home").resolve("artifacts")).plugin(plugin).discoverPlugins(false).build();
    }

    private static String columnType(TestDatabase db, String column) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select data_type from information_schema.columns"
                        + " where lower(table_name) = 'rpm_package' and lower(column_name) = '" + column + "'")) {
            assertThat(rows.next()).as(column).isTrue();
            return rows.getString(1).toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The rpm plugin as a release that shipped only its first {@code count} migrations ran it. */
    private static ContentPlugin withMigrations(int count) {
        RpmPlugin rpm = new RpmPlugin();
        return new ContentPlugin() {
            @Override
            public String name() {
                return rpm.name();
            }

            @Override
            public String version() {
                return rpm.version();
            }

            @Override
            public List<ContentType<?>> contentTypes() {
                return rpm.contentTypes();
            }

            @Override
            public List<Class<?>> entityClasses() {
                return rpm.entityClasses();
            }

            @Override
            public List<Migration> migrations() {
                return rpm.migrations().subList(0, count);
            }

            @Override
            public Optional<CopyPolicy> copyPolicy() {
                return rpm.copyPolicy();
            }
        };
    }
}
