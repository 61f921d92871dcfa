package org.example.airlock;

import static java.util.Objects.requireNonNull;

import io.airlock.core.Airlock;
import io.airlock.core.ingest.Ingest;
import io.airlock.core.ingest.IngestFile;
import io.airlock.core.ingest.IngestResult;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Mirrors an index directory into a repository: {@code index.txt} lists projects and distributions,
 * in any order, one per line —
 *
 * <pre>
 * dist requests-2.31.0.tar.gz 2.31.0 requests SHA256
 * project requests HTTP for Humans
 * </pre>
 *
 * and each distribution's file lies next to the index.
 */
public final class ExampleRepositories {

    private final Airlock airlock;

    public ExampleRepositories(Airlock airlock) {
        this.airlock = requireNonNull(airlock, "airlock");
    }

    /** A new version holding exactly what the index lists; nothing changes if a line or file is wrong. */
    public IngestResult sync(String repository, Path directory, ProgressListener progress) {
        Path index = directory.resolve("index.txt");
        return airlock.ingest(repository, Ingest.Mode.MIRROR, progress, sink -> {
            try (BufferedReader lines = Files.newBufferedReader(index, StandardCharsets.UTF_8)) {
                int number = 0;
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    number++;
                    String[] fields = line.strip().split(" ", 3);
                    if (fields[0].equals("project") && fields.length >= 2) {
                        sink.add(new Project(fields[1], fields.length == 3 ? fields[2] : null));
                    } else if (fields[0].equals("dist") && fields.length == 3) {
                        String[] rest = fields[2].split(" ");
                        if (rest.length != 3) {
                            throw bad(index, number, "a distribution line is: dist FILENAME VERSION PROJECT SHA256");
                        }
                        String filename = fields[1];
                        sink.add(new Distribution(filename, rest[2], rest[0], Project.named(rest[1])),
                                IngestFile.of(filename, directory.resolve(filename), rest[2]));
                    } else if (!line.isBlank()) {
                        throw bad(index, number, "expected 'project NAME [SUMMARY]' or 'dist FILENAME VERSION PROJECT SHA256'");
                    }
                }
            } catch (IOException e) {
                throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read " + index + ": " + e.getMessage(), e);
            }
        });
    }

    private static AirlockException bad(Path index, int line, String problem) {
        return new AirlockException(ErrorCode.INVALID_INPUT, index + ", line " + line + ": " + problem);
    }
}
