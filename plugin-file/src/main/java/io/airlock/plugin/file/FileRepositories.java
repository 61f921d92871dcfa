package io.airlock.plugin.file;

import static java.util.Objects.requireNonNull;

import io.airlock.core.Airlock;
import io.airlock.core.content.ContentFiles;
import io.airlock.core.content.ContentWriter;
import io.airlock.core.content.ContentWriter.NewUnit;
import io.airlock.core.content.ContentWriter.UnitFile;
import io.airlock.core.model.Repository;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.repository.VersionDraft;
import io.airlock.core.repository.VersionRef;
import io.airlock.core.store.ArtifactBatch;
import io.airlock.core.store.StagingDirectory;
import io.airlock.core.store.RelativePaths;
import io.airlock.core.store.StoredArtifact;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Content;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.stream.Stream;
import org.hibernate.Session;

/**
 * File repositories: ingest a directory ({@link #add}, {@link #sync}) and publish a version as a
 * directory tree with a {@code PULP_MANIFEST} ({@link #publish}).
 */
public final class FileRepositories {

    /** Name of the manifest a publication carries: one {@code relative_path,sha256,size} line per file. */
    public static final String MANIFEST = "PULP_MANIFEST";

    private final Airlock airlock;

    public FileRepositories(Airlock airlock) {
        this.airlock = requireNonNull(airlock, "airlock");
    }

    /** A new version: the latest plus every file under {@code directory} (same paths replaced). */
    public Optional<RepositoryVersion> add(String repository, Path directory, ProgressListener progress) {
        return ingest(repository, directory, VersionDraft.Mode.MODIFY, progress);
    }

    /** A new version holding exactly the files under {@code directory}. */
    public Optional<RepositoryVersion> sync(String repository, Path directory, ProgressListener progress) {
        return ingest(repository, directory, VersionDraft.Mode.REPLACE, progress);
    }

    private Optional<RepositoryVersion> ingest(String name, Path directory, VersionDraft.Mode mode, ProgressListener progress) {
        checkFileRepository(name);
        if (!Files.isDirectory(directory)) {
            throw new AirlockException(ErrorCode.NOT_FOUND, "directory not found: " + directory);
        }
        // One batch: its log lets a killed ingest's files be found, and one sync before the commit
        // replaces a force per file.
        try (ArtifactBatch artifacts = airlock.artifacts().batch()) {
            try {
                return airlock.inTransaction(session -> ingest(session, artifacts, name, directory, mode, progress));
            } catch (RuntimeException | Error e) {
                try {
                    airlock.discardUnrecorded(artifacts);
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
        }
    }

    private Optional<RepositoryVersion> ingest(Session session, ArtifactBatch artifacts, String name, Path directory,
            VersionDraft.Mode mode, ProgressListener progress) {
        Path root = directory.toAbsolutePath().normalize();
        VersionDraft draft = airlock.repositories().draft(session, name, mode, OptionalInt.empty());
        long[] done = {0};
        List<Path> batch = new ArrayList<>(ContentWriter.BATCH_SIZE);
        try (Stream<Path> walk = Files.walk(root)) {
            Iterator<Path> paths = walk.iterator();
            while (paths.hasNext()) {
                Path path = paths.next();
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (!Files.isRegularFile(path)) {
                    throw new AirlockException(ErrorCode.INVALID_INPUT, path + " is not a regular file");
                }
                batch.add(path);
                if (batch.size() == ContentWriter.BATCH_SIZE) {
                    done[0] += ingestBatch(session, artifacts, draft, root, batch);
                    progress.progress("files", done[0], -1);
                    batch.clear();
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read directory " + directory + ": " + e.getMessage(), e);
        }
        done[0] += ingestBatch(session, artifacts, draft, root, batch);
        progress.progress("files", done[0], done[0]);
        Optional<RepositoryVersion> version = draft.commit();
        artifacts.sync(); // the files must be on disk before the rows naming them commit
        return version;
    }

    private int ingestBatch(Session session, ArtifactBatch artifacts, VersionDraft draft, Path root, List<Path> files) {
        List<NewUnit> units = new ArrayList<>(files.size());
        for (Path file : files) {
            String relativePath = relativePath(root, file);
            StoredArtifact artifact;
            try (InputStream in = Files.newInputStream(file)) {
                artifact = artifacts.put(in, Optional.empty());
            } catch (java.nio.file.NoSuchFileException e) {
                throw new AirlockException(ErrorCode.NOT_FOUND, "file not found: " + file, e);
            } catch (IOException e) {
                throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read " + file + ": " + e, e);
            }
            units.add(new NewUnit(new FileContent(relativePath, artifact.sha256()),
                    List.of(new UnitFile(relativePath, Optional.of(artifact)))));
        }
        List<UUID> ids = airlock.contentWriter().save(session, units).ids();
        draft.add(ids);
        return ids.size();
    }

    private static String relativePath(Path root, Path file) {
        List<String> parts = new ArrayList<>();
        for (Path part : root.relativize(file)) {
            parts.add(part.toString());
        }
        return RelativePaths.check(String.join("/", parts), "file " + file);
    }

    /** What a publication wrote. */
    public record Publication(Path directory, long files, long bytes) {
    }

    /**
     * Writes a version's files under {@code outputDirectory} (which must not exist or be empty) and
     * a {@value #MANIFEST}. Written to a temporary sibling first, so a failure leaves nothing.
     */
    public Publication publish(VersionRef ref, Path outputDirectory) {
        checkFileRepository(ref.repository());
        RepositoryVersion version = airlock.repositories().version(ref);
        Path target = outputDirectory.toAbsolutePath().normalize();
        try {
            if (Files.exists(target)) {
                try (Stream<Path> entries = Files.list(target)) {
                    if (!Files.isDirectory(target) || entries.findAny().isPresent()) {
                        throw new AirlockException(ErrorCode.CONFLICT, "output directory " + outputDirectory + " exists and is not empty");
                    }
                }
            }
            Path parent = target.getParent();
            Files.createDirectories(parent);
            // Recorded in the work area: if this process is killed, the next start removes it.
            try (StagingDirectory stagingDirectory = airlock.workArea().stage(parent, "." + target.getFileName() + ".publishing-")) {
                Path staging = stagingDirectory.path();
                long[] totals = {0, 0};
                try (BufferedWriter manifest = Files.newBufferedWriter(staging.resolve(MANIFEST), StandardCharsets.UTF_8)) {
                    airlock.repositories().scanContent(version, Optional.of(FileContent.TYPE), ContentWriter.BATCH_SIZE,
                            batch -> writeBatch(batch, staging, manifest, totals));
                }
                if (Files.exists(target)) {
                    Files.delete(target);
                }
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                return new Publication(target, totals[0], totals[1]);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot publish " + ref + " to " + outputDirectory + ": " + e.getMessage(), e);
        }
    }

    private void writeBatch(List<Content> batch, Path staging, BufferedWriter manifest, long[] totals) {
        List<UUID> ids = batch.stream().map(Content::id).toList();
        Map<UUID, List<UnitFile>> files = airlock.inTransaction(session -> ContentFiles.of(session, ids));
        try {
            for (Content unit : batch) {
                FileContent file = (FileContent) unit;
                for (UnitFile unitFile : files.getOrDefault(file.id(), List.of())) {
                    StoredArtifact artifact = unitFile.artifact().orElseThrow(() -> new AirlockException(ErrorCode.NOT_FOUND,
                            "file " + file.relativePath() + " is on demand: its bytes are not in the artifact store"));
                    Path destination = RelativePaths.resolve(staging, unitFile.relativePath(), "file " + file.relativePath());
                    Files.createDirectories(destination.getParent());
                    try (InputStream in = airlock.artifacts().open(artifact.sha256())) {
                        Files.copy(in, destination);
                    }
                    manifest.write(csv(unitFile.relativePath()) + "," + artifact.sha256() + "," + artifact.size() + "\n");
                    totals[0]++;
                    totals[1] += artifact.size();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Quotes a CSV field when it holds a comma, quote or line break. */
    private static String csv(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    private void checkFileRepository(String name) {
        Repository repository = airlock.repositories().get(name);
        if (!repository.family().equals(FilePlugin.NAME)) {
            throw new AirlockException(ErrorCode.CONFLICT, "repository '" + name + "' holds " + repository.family()
                    + " content, not file content");
        }
    }
}
