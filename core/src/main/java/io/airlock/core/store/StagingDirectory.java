package io.airlock.core.store;

import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A folder where work is put together before it is moved into place (an export, a publication) or
 * thrown away (import scratch space). Recorded in the {@link WorkArea}'s run directory, so that if
 * the process is killed the next start or {@code airlock cleanup} removes it. {@link #close()}
 * removes the folder (whatever is still in it) and the record.
 */
public final class StagingDirectory implements AutoCloseable {

    static final String FOLDER = "folder ";
    private static final String MOVING = "moving ";
    private static final String COMPLETE_WHEN = "complete-when ";

    private final WorkArea workArea;
    private final WorkArea.Run run;
    private final Path folder;
    private final Path marker;
    private boolean closed;

    StagingDirectory(WorkArea workArea, WorkArea.Run run, Path folder, Path marker) {
        this.workArea = workArea;
        this.run = run;
        this.folder = folder;
        this.marker = marker;
    }

    public Path path() {
        return folder;
    }

    /**
     * Records, before they are moved out of this folder one by one, the files' final places and
     * the file whose presence means the whole is complete (moved last): if the process dies
     * half-way, recovery removes the moved files unless {@code completeWhen} exists.
     */
    public void moving(List<Path> targets, Path completeWhen) {
        if (marker == null) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        targets.forEach(t -> lines.append(MOVING).append(t.toAbsolutePath().normalize()).append('\n'));
        lines.append(COMPLETE_WHEN).append(completeWhen.toAbsolutePath().normalize()).append('\n');
        try {
            Files.writeString(marker, lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot write " + marker + ": " + e, e);
        }
    }

    /** Removes the folder with what is left in it, and its record. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // With the interrupt cleared: a cancelled operation removes its folder too.
        io.airlock.spi.Cancellation.runUninterrupted(() -> {
            try {
                FileTrees.deleteTree(folder);
                if (marker != null) {
                    Files.deleteIfExists(marker);
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // left for recovery: the record stays with the run directory until it is removed
            } finally {
                workArea.release(run);
            }
        });
    }

    /** What a dead run's marker says: a staged folder, and files being moved out of it. */
    public record Marker(Path folder, List<Path> moving, Optional<Path> completeWhen) {

        static Optional<Marker> read(Path file) {
            try {
                Path folder = null;
                List<Path> moving = new ArrayList<>();
                Path completeWhen = null;
                String text = Files.readString(file, StandardCharsets.UTF_8);
                // Only whole lines count: a record cut short by a kill ends in a partial path.
                for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
                    if (line.startsWith(FOLDER)) {
                        folder = Path.of(line.substring(FOLDER.length()));
                    } else if (line.startsWith(MOVING)) {
                        moving.add(Path.of(line.substring(MOVING.length())));
                    } else if (line.startsWith(COMPLETE_WHEN)) {
                        completeWhen = Path.of(line.substring(COMPLETE_WHEN.length()));
                    }
                }
                // A record names absolute paths it created; anything else is not acted on.
                if (folder == null || !folder.isAbsolute() || moving.stream().anyMatch(p -> !p.isAbsolute())) {
                    return Optional.empty();
                }
                return Optional.of(new Marker(folder, List.copyOf(moving), Optional.ofNullable(completeWhen)));
            } catch (IOException | RuntimeException e) {
                return Optional.empty(); // a half-written record of a folder not created yet
            }
        }

        /** The moved files to remove: all of them unless the whole was completed. */
        public List<Path> incomplete() {
            return completeWhen.isPresent() && Files.exists(completeWhen.get()) ? List.of() : moving;
        }
    }
}
