package io.airlock.plugin.file;

import static io.airlock.plugin.file.FileRepositoriesTest.read;
import static io.airlock.plugin.file.FileRepositoriesTest.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.airlock.core.Airlock;
import io.airlock.core.repository.VersionRef;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Ingest and publish hold one connection of the host's pool at a time: on a HikariCP pool of one
 * connection, with a short acquisition timeout, an operation that asked for a second one would fail.
 */
@Tag("persistence")
final class FileRepositoriesOnOneConnectionTest {

    @Test
    void addSyncAndPublishRunOnAPoolOfOne() throws IOException {
        try (TestDatabase db = TestDatabase.create(); HikariDataSource pool = pool(db); Airlock airlock = open(db, pool)) {
            Path source = tree(db.path("source"), Map.of("a.txt", "one", "b.txt", "two"));
            FileRepositories files = new FileRepositories(airlock);
            airlock.repositories().create("r", "file", null);

            files.add("r", source, ProgressListener.NONE);
            tree(source, Map.of("c.txt", "three"));
            files.sync("r", source, ProgressListener.NONE);
            FileRepositories.Publication publication = files.publish(VersionRef.latest("r"), db.path("published"));

            assertThat(airlock.repositories().get("r").latestVersion()).isEqualTo(2);
            assertThat(publication.files()).isEqualTo(3);
            assertThat(read(db.path("published"))).containsOnlyKeys("a.txt", "b.txt", "c.txt", FileRepositories.MANIFEST);
        }
    }

    @Test
    void aRepositoryOfAnotherFamilyIsStillRefusedBeforeTheDirectoryIsLookedAt() {
        try (TestDatabase db = TestDatabase.create(); HikariDataSource pool = pool(db); Airlock airlock = open(db, pool)) {
            airlock.repositories().create("packages", "rpm", null);

            assertThatThrownBy(() -> new FileRepositories(airlock).add("packages", db.path("missing"), ProgressListener.NONE))
                    .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                    .hasMessage("repository 'packages' holds rpm content, not file content");
        }
    }

    private static HikariDataSource pool(TestDatabase db) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.url());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(2000);
        return new HikariDataSource(config);
    }

    private static Airlock open(TestDatabase db, HikariDataSource pool) {
        return Airlock.builder().dataSource(pool).storage(db.path("artifacts")).build();
    }
}
