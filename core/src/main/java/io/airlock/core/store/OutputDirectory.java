package io.airlock.core.store;

import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * A directory tree written whole or not at all, as publications are: the output directory must not
 * exist or be empty; the tree is written in a staging folder beside it (recorded in the
 * {@link WorkArea}, so a killed process leaves nothing the next start does not remove) and moved
 * into place with one atomic rename when it is complete. On any failure the staging folder goes
 * and the output directory is left as it was.
 */
public final class OutputDirectory {

    /** Writes the tree into the staging folder it is given. */
    @FunctionalInterface
    public interface Writer<R> {
        R write(Path staging) throws IOException;
    }

    private OutputDirectory() {
    }

    /**
     * Refuses, with {@code CONFLICT}, an output directory that exists and is not an empty
     * directory; callers check this before longer work, {@link #write} checks it again.
     */
    public static void checkUsable(Path outputDirectory) {
        Path target = outputDirectory.toAbsolutePath().normalize();
        if (!Files.exists(target)) {
            return;
        }
        boolean empty;
        if (Files.isDirectory(target)) {
            try (Stream<Path> entries = Files.list(target)) {
                empty = entries.findAny().isEmpty();
            } catch (IOException e) {
                throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read " + outputDirectory + ": " + e.getMessage(), e);
            }
        } else {
            empty = false;
        }
        if (!empty) {
            throw new AirlockException(ErrorCode.CONFLICT, "output directory " + outputDirectory + " exists and is not empty");
        }
    }

    /**
     * Writes {@code outputDirectory} with {@code writer} in a staging folder beside it, then moves
     * the folder into place. {@code what} names the work in error messages ("cannot publish WHAT to
     * DIR: …"). An {@link IOException} becomes {@code STORAGE_FAILURE}; other failures pass through.
     */
    public static <R> R write(WorkArea workArea, Path outputDirectory, String what, Writer<R> writer) {
        checkUsable(outputDirectory);
        Path target = outputDirectory.toAbsolutePath().normalize();
        try {
            Path parent = target.getParent();
            Files.createDirectories(parent);
            try (StagingDirectory staging = workArea.stage(parent, "." + target.getFileName() + ".publishing-")) {
                R result = writer.write(staging.path());
                if (Files.exists(target)) {
                    Files.delete(target); // empty, checked above: the rename needs it gone
                }
                Files.move(staging.path(), target, StandardCopyOption.ATOMIC_MOVE);
                return result;
            }
        } catch (IOException | UncheckedIOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot publish " + what + " to " + outputDirectory + ": "
                    + e.getMessage(), e);
        }
    }
}
