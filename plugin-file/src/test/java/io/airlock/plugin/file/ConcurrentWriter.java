package io.airlock.plugin.file;

import io.airlock.core.Airlock;
import io.airlock.core.copy.CopyEngine;
import io.airlock.core.copy.CopyRequest;
import io.airlock.core.imports.ImportEngine;
import io.airlock.core.imports.ImportRequest;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One writer of {@link ConcurrentWritersTest}: runs an operation through its own {@link Airlock},
 * again after a short random pause while it fails as busy ({@link io.airlock.spi.ErrorCode#retryable()}),
 * as a host would. As a child JVM ({@link #main}) it opens its installation, writes the READY file,
 * waits for the START file, runs and prints {@code version N retries R}.
 */
final class ConcurrentWriter {

    static final int ATTEMPTS = 12;
    /**
     * Short, so that a deadlock H2 does not detect (a row lock against a unique-key wait: a sync
     * holds its repository and waits for a unit an import holds, which waits for the repository)
     * ends soon as busy.
     */
    static final Duration LOCK_TIMEOUT = Duration.ofSeconds(5);

    private ConcurrentWriter() {
    }

    /** The outcome of one writer: the version it created (none when nothing changed) and its busy retries. */
    record Outcome(Optional<Integer> version, int retries) {
    }

    /**
     * Runs one operation: {@code sync REPO DIR}, {@code import TOC SOURCE DEST} or {@code copy SOURCE@N DEST}.
     * Fails with the last {@link AirlockException} when it is not retryable or the attempts run out.
     */
    static Outcome run(Airlock airlock, List<String> operation) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return new Outcome(perform(airlock, operation), attempt - 1);
            } catch (AirlockException e) {
                if (!e.code().retryable() || attempt == ATTEMPTS) {
                    throw e;
                }
                Thread.sleep(ThreadLocalRandom.current().nextInt(20, 200));
            }
        }
    }

    private static Optional<Integer> perform(Airlock airlock, List<String> operation) {
        return switch (operation.get(0)) {
            case "sync" -> new FileRepositories(airlock).sync(operation.get(1), Path.of(operation.get(2)), ProgressListener.NONE)
                    .map(RepositoryVersion::number);
            case "import" -> new ImportEngine(airlock).importArchive(ImportRequest.of(Path.of(operation.get(1)))
                    .mapping(operation.get(2), operation.get(3)), ProgressListener.NONE).repositories().get(0).version();
            case "copy" -> new CopyEngine(airlock).copy(CopyRequest.of(List.of(
                    CopyRequest.Entry.whole(operation.get(1), operation.get(2))))).destinations().get(0).version();
            default -> throw new IllegalArgumentException(operation.toString());
        };
    }

    /** Arguments: {@code JDBC_URL USER PASSWORD STORAGE READY START OPERATION…}. */
    public static void main(String[] args) throws Exception {
        try (Airlock airlock = Airlock.builder().jdbcUrl(args[0]).credentials(args[1], args[2]).storage(Path.of(args[3]))
                .lockTimeout(LOCK_TIMEOUT).build()) {
            Path start = Path.of(args[5]);
            Files.createFile(Path.of(args[4]));
            long deadline = System.nanoTime() + 300_000_000_000L;
            while (!Files.exists(start) && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            Outcome outcome = run(airlock, Arrays.asList(args).subList(6, args.length));
            System.out.println("version " + outcome.version().map(String::valueOf).orElse("none") + " retries " + outcome.retries());
        } catch (AirlockException e) {
            System.out.println("error " + e.code() + " " + e.getMessage());
            System.exit(1);
        }
    }
}
