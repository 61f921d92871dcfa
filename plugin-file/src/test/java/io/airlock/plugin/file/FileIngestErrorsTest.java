package io.airlock.plugin.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.airlock.core.Airlock;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.store.LocalDirectory;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.TestDatabase;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code file add}/{@code file sync} of hostile directories: symbolic links, FIFOs, sockets. Each
 * refusal is one line naming the path, and the repository, the rows and the store stay as they were.
 */
@Tag("persistence")
final class FileIngestErrorsTest {

    private static final LocalDirectory.Options FOLLOW = LocalDirectory.Options.FOLLOW_SYMLINKS;
    private static final LocalDirectory.Options REFUSE = LocalDirectory.Options.DEFAULT;

    @Test
    void aSymlinkIsRefusedByDefaultNamingIt() throws IOException {
        try (Fixture f = new Fixture()) {
            Files.createSymbolicLink(f.source.resolve("link.txt"), f.source.resolve("a.txt"));

            f.refused(REFUSE, f.source.resolve("link.txt") + " is a symbolic link: refused (--follow-symlinks follows links"
                    + " that stay inside " + f.source + ")");
        }
    }

    @Test
    void aSymlinkInsideTheDirectoryIsFollowedWhenAsked() throws IOException {
        try (Fixture f = new Fixture()) {
            Files.createDirectories(f.source.resolve("real"));
            Files.writeString(f.source.resolve("real/data.txt"), "inside");
            Files.createSymbolicLink(f.source.resolve("link.txt"), Path.of("real/data.txt"));
            Files.createSymbolicLink(f.source.resolve("linked-dir"), Path.of("real"));

            RepositoryVersion version = f.files.add("r", f.source, FOLLOW, ProgressListener.NONE).orElseThrow();

            assertThat(version.contentCount()).isEqualTo(6); // a.txt, b.txt, new.txt, real/data.txt, link.txt, linked-dir/data.txt
            assertThat(f.labels()).contains("link.txt", "linked-dir/data.txt", "real/data.txt");
        }
    }

    @Test
    void aSymlinkOutOfTheDirectoryIsRefusedEvenWhenFollowing() throws IOException {
        try (Fixture f = new Fixture()) {
            Path secret = Files.writeString(f.db.path("secret.txt"), "secret");
            Files.createSymbolicLink(f.source.resolve("evil.txt"), secret);

            f.refused(REFUSE, f.source.resolve("evil.txt") + " is a symbolic link: refused");
            f.refused(FOLLOW, f.source.resolve("evil.txt") + " is a symbolic link to " + secret.toRealPath() + ", outside "
                    + f.source + ": refused");
        }
    }

    @Test
    void aLinkToASiblingWhoseNameStartsLikeTheDirectoryIsOutside() throws IOException {
        try (Fixture f = new Fixture()) {
            // source-evil starts with the string "source": a prefix check on strings would let it in.
            Path sibling = Files.createDirectories(f.db.path("source-evil"));
            Files.writeString(sibling.resolve("x.txt"), "not yours");
            Files.createSymbolicLink(f.source.resolve("x.txt"), Path.of("../source-evil/x.txt"));

            f.refused(FOLLOW, "is a symbolic link to " + sibling.toRealPath().resolve("x.txt") + ", outside");
        }
    }

    @Test
    void aLinkToProcSelfIsRefused() throws IOException {
        try (Fixture f = new Fixture()) {
            Files.createSymbolicLink(f.source.resolve("cmdline"), Path.of("/proc/self/cmdline"));

            f.refused(REFUSE, f.source.resolve("cmdline") + " is a symbolic link: refused");
            f.refused(FOLLOW, f.source.resolve("cmdline") + " is a symbolic link to /proc/", ", outside " + f.source);
        }
    }

    @Test
    void aLinkToDevZeroIsRefusedWithoutReadingIt() throws IOException {
        try (Fixture f = new Fixture()) {
            Files.createSymbolicLink(f.source.resolve("zero"), Path.of("/dev/zero"));

            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> f.refused(FOLLOW, "is a symbolic link to /dev/zero, outside"));
        }
    }

    @Test
    void aSymlinkedDirectoryLeavingTheDirectoryIsRefused() throws IOException {
        try (Fixture f = new Fixture()) {
            Path outside = Files.createDirectories(f.db.path("outside"));
            Files.writeString(outside.resolve("o.txt"), "outside");
            Files.createSymbolicLink(f.source.resolve("sub"), outside);

            f.refused(REFUSE, f.source.resolve("sub") + " is a symbolic link: refused");
            f.refused(FOLLOW, f.source.resolve("sub") + " is a symbolic link to " + outside.toRealPath() + ", outside");
        }
    }

    @Test
    void aLinkLoopIsRefused() throws IOException {
        try (Fixture f = new Fixture()) {
            Files.createDirectories(f.source.resolve("d"));
            Files.createSymbolicLink(f.source.resolve("d/loop"), Path.of(".."));

            f.refused(FOLLOW, f.source.resolve("d/loop") + " is a symbolic link to a directory that contains it (a loop)");
        }
    }

    @Test
    void aBrokenLinkIsRefused() throws IOException {
        try (Fixture f = new Fixture()) {
            Files.createSymbolicLink(f.source.resolve("gone.txt"), Path.of("nothing-here.txt"));

            f.refused(FOLLOW, f.source.resolve("gone.txt") + " is a symbolic link to nothing-here.txt, which does not exist");
        }
    }

    @Test
    void aFifoIsRefusedWithoutOpeningIt() throws Exception {
        try (Fixture f = new Fixture()) {
            Path fifo = f.source.resolve("pipe");
            Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
            assertThat(mkfifo.waitFor()).isZero();

            // Opening a FIFO with no writer blocks forever: the refusal must come before any open.
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> f.refused(REFUSE, fifo + " is not a regular file (a FIFO): refused"));
        }
    }

    @Test
    void aLinkToAFifoInsideIsRefusedWhenFollowing() throws Exception {
        try (Fixture f = new Fixture()) {
            Path fifo = f.source.resolve("pipe");
            assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();
            Files.createSymbolicLink(f.source.resolve("to-pipe"), Path.of("pipe"));

            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> f.refused(FOLLOW, "is not a regular file (a FIFO): refused"));
        }
    }

    @Test
    void aSocketIsRefused() throws IOException {
        try (Fixture f = new Fixture();
                ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            Path path = f.source.resolve("sock");
            socket.bind(UnixDomainSocketAddress.of(path));

            f.refused(REFUSE, path + " is not a regular file (a socket): refused");
        }
    }

    @Test
    void syncRefusesASymlinkToo() throws IOException {
        try (Fixture f = new Fixture()) {
            Files.createSymbolicLink(f.source.resolve("link.txt"), f.source.resolve("a.txt"));

            f.refusedBy(() -> f.files.sync("r", f.source, ProgressListener.NONE), ErrorCode.INVALID_INPUT,
                    f.source.resolve("link.txt") + " is a symbolic link: refused");
        }
    }

    @Test
    void anErrorWhileIngestingRemovesTheFilesItStored() throws IOException {
        try (Fixture f = new Fixture()) {
            for (int i = 0; i < 1_001; i++) {
                Files.writeString(f.source.resolve("many-" + i + ".txt"), "file " + i);
            }
            // Called after the first batch of 1,000 files was stored: an Error, as an OutOfMemoryError would be.
            ProgressListener failing = (phase, done, total) -> {
                throw new StackOverflowError("thrown by the test after " + done + " files");
            };
            Snapshot before = f.snapshot();

            assertThatThrownBy(() -> f.files.add("r", f.source, failing)).isInstanceOf(StackOverflowError.class);

            assertThat(f.snapshot()).isEqualTo(before);
        }
    }

    /** A database with file repository {@code r} at version 1 (two files), and a source directory holding them. */
    private static final class Fixture implements AutoCloseable {
        final TestDatabase db = TestDatabase.create();
        final Airlock airlock = FileRepositoriesTest.open(db);
        final FileRepositories files = new FileRepositories(airlock);
        final Path source;

        Fixture() throws IOException {
            airlock.repositories().create("r", "file", null);
            source = FileRepositoriesTest.tree(db.path("source"), Map.of("a.txt", "one", "b.txt", "two"));
            files.add("r", source, ProgressListener.NONE);
            Files.writeString(source.resolve("new.txt"), "a file not yet stored");
        }

        void refused(LocalDirectory.Options options, String... messageParts) {
            refusedBy(() -> files.add("r", source, options, ProgressListener.NONE), ErrorCode.INVALID_INPUT, messageParts);
        }

        void refusedBy(org.assertj.core.api.ThrowableAssert.ThrowingCallable ingest, ErrorCode code, String... messageParts) {
            Snapshot before = snapshot();

            assertThatThrownBy(ingest)
                    .isInstanceOfSatisfying(AirlockException.class, e -> {
                        assertThat(e.code()).isEqualTo(code);
                        assertThat(e.getMessage()).doesNotContain("\n");
                    })
                    .hasMessageContainingAll(messageParts);
            assertThat(snapshot()).isEqualTo(before);
        }

        List<String> labels() {
            List<String> labels = new java.util.ArrayList<>();
            airlock.repositories().scanContent(airlock.repositories().version(io.airlock.core.repository.VersionRef.latest("r")),
                    Optional.empty(), 100, batch -> batch.forEach(u -> labels.add(u.label())));
            return labels;
        }

        Snapshot snapshot() {
            Map<String, Long> rows = new TreeMap<>();
            for (String table : List.of("repository_version", "repository_content", "content", "file_content", "artifact",
                    "content_artifact")) {
                rows.put(table, airlock.inTransaction(s -> s.createNativeQuery("select count(*) from " + table, Long.class)
                        .getSingleResult()));
            }
            try (Stream<Path> stored = Files.walk(db.path("artifacts"))) {
                return new Snapshot(rows, stored.filter(Files::isRegularFile).map(Path::toString).sorted().toList());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            airlock.close();
            db.close();
        }
    }

    private record Snapshot(Map<String, Long> rows, List<String> storedFiles) {
    }
}
