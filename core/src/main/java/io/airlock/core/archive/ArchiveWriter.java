package io.airlock.core.archive;

import io.airlock.core.trust.SignatureFile;
import io.airlock.core.trust.SigningKey;
import io.airlock.core.store.StagingDirectory;
import io.airlock.core.store.WorkArea;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes an export: a tar stream of regular-file entries into one file or fixed-size chunks, then
 * the TOC and, when signed, its signature. Everything is written under a hidden staging directory
 * inside the target directory and moved into place only by {@link #commit}; {@link #close()}
 * without commit removes it all, so a failed or interrupted export leaves nothing behind. The
 * staging directory is recorded in the {@link WorkArea}, with the files being moved at commit, so
 * that what a killed export left is removed by the next start.
 */
public final class ArchiveWriter implements AutoCloseable {

    private final Path directory;
    private final String exportName;
    private final StagingDirectory stagingDirectory;
    private final Path staging;
    private final OptionalLong chunkSize;
    private final ChunkedOutput chunks;
    private final TarArchiveOutputStream tar;
    private final Instant created = Instant.now();
    private final Thread cleanupOnExit;
    private int formatVersion = ArchiveNames.FORMAT_VERSION;
    private volatile boolean committed;
    private boolean signatureMoved;

    public ArchiveWriter(Path directory, String exportName, OptionalLong chunkSize, WorkArea workArea) {
        this.directory = directory.toAbsolutePath().normalize();
        this.exportName = ArchiveNames.checkExportName(exportName);
        this.chunkSize = chunkSize;
        if (chunkSize.isPresent() && chunkSize.getAsLong() < 1024) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, "chunk size " + chunkSize.getAsLong() + " is below the minimum of 1024 bytes");
        }
        try {
            Files.createDirectories(this.directory);
            if (Files.exists(this.directory.resolve(ArchiveNames.tocName(exportName)))) {
                throw new AirlockException(ErrorCode.CONFLICT, "an export named " + exportName + " already exists in " + this.directory);
            }
            if (Files.exists(this.directory.resolve(signatureName()), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new AirlockException(ErrorCode.CONFLICT, "a signature " + signatureName() + " without its export is in "
                        + this.directory + "; remove it first");
            }
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot write to " + directory + ": " + e.getMessage(), e);
        }
        this.stagingDirectory = workArea.stage(this.directory, "." + exportName + ".writing-");
        this.staging = stagingDirectory.path();
        // Ctrl-C ends the JVM without running finally blocks: remove the staged files from a hook.
        this.cleanupOnExit = new Thread(() -> {
            if (!committed) {
                io.airlock.core.store.FileTrees.deleteTree(staging);
            }
        }, "airlock-export-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupOnExit);
        this.chunks = new ChunkedOutput(staging, exportName, chunkSize);
        this.tar = new TarArchiveOutputStream(new BufferedOutputStream(chunks, 1 << 16));
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    /** The format version the TOC declares (the manifest's); {@link ArchiveNames#FORMAT_VERSION} unless set. */
    public void formatVersion(int version) {
        this.formatVersion = version;
    }

    /** A temporary file in the staging directory, for spooling an entry whose size is not known yet. */
    public Path spoolFile(String hint) throws IOException {
        return Files.createTempFile(staging, "spool-" + hint.replaceAll("[^A-Za-z0-9.]", "_") + "-", ".tmp");
    }

    public void putBytes(String name, byte[] bytes) throws IOException {
        try (InputStream in = new java.io.ByteArrayInputStream(bytes)) {
            put(name, bytes.length, in);
        }
    }

    /** Adds a spooled file as an entry and deletes the spool. */
    public void putFile(String name, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            put(name, Files.size(file), in);
        }
        Files.delete(file);
    }

    /** Adds an entry of exactly {@code size} bytes read from {@code in}. */
    public void put(String name, long size, InputStream in) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setSize(size);
        // Whole seconds: a modification time with a fraction takes a pax header of its own, 1 KiB
        // more per entry (a third of an export of 1 KiB artifacts) and two more entries to read.
        entry.setModTime(created.getEpochSecond() * 1000);
        entry.setMode(0644);
        tar.putArchiveEntry(entry);
        long copied = copy(in, tar, size);
        if (copied != size) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "entry " + name + " had " + copied + " bytes, " + size + " expected");
        }
        tar.closeArchiveEntry();
    }

    /** Copies {@code size} bytes in pieces of up to 256 KiB, in a buffer no larger than the entry (a small entry allocates little). */
    private static long copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buffer = new byte[(int) Math.max(1, Math.min(1 << 18, size))];
        long total = 0;
        while (total < size) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, size - total));
            if (n < 0) {
                break;
            }
            out.write(buffer, 0, n);
            total += n;
        }
        return total;
    }

    /** Finishes the stream, writes the TOC and moves every file into the target directory. */
    public Toc commit(Map<String, String> meta) throws IOException {
        return commit(meta, Optional.empty());
    }

    /**
     * Finishes the stream, writes the TOC and, with a key, the signature of the TOC's exact bytes
     * ({@code NAME-toc.json.sig}), and moves every file into the target directory.
     */
    public Toc commit(Map<String, String> meta, Optional<SigningKey> signingKey) throws IOException {
        tar.finish();
        tar.close();
        List<Toc.TocFile> files = chunks.files();
        Toc toc = new Toc(exportName, created, chunkSize, files, meta, formatVersion);
        Path tocStaged = staging.resolve(ArchiveNames.tocName(exportName));
        byte[] tocBytes = toc.toBytes();
        Files.write(tocStaged, tocBytes);
        Path signatureStaged = staging.resolve(signatureName());
        if (signingKey.isPresent()) {
            Files.write(signatureStaged, signingKey.get().signatureFile(tocBytes));
        }
        Path tocTarget = directory.resolve(ArchiveNames.tocName(exportName));
        List<Path> moving = new java.util.ArrayList<>(files.stream().map(f -> directory.resolve(f.name())).toList());
        if (signingKey.isPresent()) {
            moving.add(directory.resolve(signatureName()));
        }
        stagingDirectory.moving(moving, tocTarget);
        for (Toc.TocFile file : files) {
            Files.move(staging.resolve(file.name()), directory.resolve(file.name()), StandardCopyOption.ATOMIC_MOVE);
        }
        if (signingKey.isPresent()) {
            Files.move(signatureStaged, directory.resolve(signatureName()), StandardCopyOption.ATOMIC_MOVE);
            signatureMoved = true;
        }
        // The TOC goes last: an export is complete exactly when its TOC exists.
        Files.move(tocStaged, tocTarget, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
        return toc;
    }

    @Override
    public void close() throws IOException {
        // With the interrupt cleared: a cancelled export removes what it wrote too.
        io.airlock.spi.Cancellation.runUninterrupted(this::discardUncommitted);
    }

    private void discardUncommitted() {
        if (!committed) {
            chunks.abort(); // stops its writing thread; nothing more is written or forced
            try {
                tar.close();
            } catch (IOException | RuntimeException ignored) {
                // the partial export is being thrown away
            }
            chunks.files().forEach(f -> deleteQuietly(directory.resolve(f.name())));
            if (signatureMoved) {
                deleteQuietly(directory.resolve(signatureName()));
            }
        }
        stagingDirectory.close();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to; it finds nothing left to do
        }
    }

    private String signatureName() {
        return ArchiveNames.tocName(exportName) + SignatureFile.SUFFIX;
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort on a failure path
        }
    }
}
