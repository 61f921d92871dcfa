package io.airlock.plugin.rpm;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.airlock.core.Airlock;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A sync holds one connection of the host's pool: it runs on a HikariCP pool of one connection. */
@Tag("persistence")
final class RpmSyncOnOneConnectionTest {

    @Test
    void aSyncRunsOnAPoolOfOne() throws IOException {
        try (TestDatabase db = TestDatabase.create(); HikariDataSource pool = pool(db);
                Airlock airlock = Airlock.builder().dataSource(pool).storage(db.path("artifacts"))
                        .plugin(new RpmPlugin()).discoverPlugins(false).build()) {
            Path repo = new YumRepo().add(YumRepo.Pkg.of("bash", "5.1.8", "6.el9", "x86_64")).write(db.path("repo"));
            airlock.repositories().create("baseos", "rpm", null);

            RpmRepositories.SyncResult result = new RpmRepositories(airlock).sync("baseos", repo, ProgressListener.NONE);

            assertThat(result.version()).hasValueSatisfying(v -> assertThat(v.number()).isEqualTo(1));
            assertThat(result.artifacts()).isEqualTo(1);
        }
    }

    /** HikariCP with one connection; a second one asked for would time out after 2 s. */
    private static HikariDataSource pool(TestDatabase db) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.url());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(2000);
        return new HikariDataSource(config);
    }
}
