package io.airlock.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class WorkAreaTest {

    @TempDir
    Path root;

    @Test
    void aLiveRunIsARunDirectoryWithALockedOwnerAndNothingElse() throws IOException {
        WorkArea area = new WorkArea(root, Optional.empty());

        WorkArea.Run run = area.acquire();
        try {
            assertThat(names()).containsExactly(run.directory().getFileName().toString());
            assertThat(run.directory().getFileName().toString()).startsWith(WorkArea.RUN_PREFIX);
            assertThat(run.directory().resolve(WorkArea.OWNER)).content().startsWith("pid " + ProcessHandle.current().pid());
            assertThat(area.deadRuns()).isEmpty();
        } finally {
            area.release(run);
        }
        assertThat(names()).isEmpty();
    }

    @Test
    void aCreatingFolderWithoutOwnerIsClaimedAtOnce() throws IOException {
        // what a process killed between creating its folder and its owner file leaves
        Path abandoned = Files.createDirectory(root.resolve(WorkArea.CREATING_PREFIX + "1"));

        List<WorkArea.DeadRun> dead = new WorkArea(root, Optional.empty()).deadRuns();
        try {
            assertThat(dead).extracting(WorkArea.DeadRun::directory).containsExactly(abandoned);
        } finally {
            dead.forEach(WorkArea.DeadRun::close);
        }
    }

    @Test
    void aCreatingFolderWhoseOwnerIsLockedIsLeftAlone() throws IOException {
        Path creating = Files.createDirectory(root.resolve(WorkArea.CREATING_PREFIX + "2"));
        try (FileChannel owner = FileChannel.open(creating.resolve(WorkArea.OWNER), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock lock = owner.lock()) {
            assertThat(new WorkArea(root, Optional.empty()).deadRuns()).isEmpty();
            assertThat(lock.isValid()).isTrue();
        }
    }

    @Test
    void aCreatorThatFindsItsFolderClaimedStartsOverUnderANewName() throws IOException {
        WorkArea area = new WorkArea(root, Optional.empty());
        // a cleaner's claim on a folder of the same shape does not stop a new run from being created
        Path claimed = Files.createDirectory(root.resolve(WorkArea.CREATING_PREFIX + "3"));
        List<WorkArea.DeadRun> dead = area.deadRuns();
        try {
            WorkArea.Run run = area.acquire();
            assertThat(run.directory()).isNotEqualTo(claimed);
            assertThat(Files.exists(run.directory().resolve(WorkArea.OWNER))).isTrue();
            area.release(run);
        } finally {
            dead.forEach(WorkArea.DeadRun::close);
        }
        assertThat(names()).containsExactly(claimed.getFileName().toString());
    }

    private List<String> names() throws IOException {
        try (Stream<Path> entries = Files.list(root)) {
            return entries.map(p -> p.getFileName().toString()).toList();
        }
    }
}
