package io.airlock.core.store;

import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.Ids;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@link ArtifactStore} on a local filesystem: {@code ab/cdef…} by sha256 under the root. A write
 * goes to a temporary file under {@code tmp/}, is hashed while written, verified, forced to disk and
 * renamed atomically into place (then the directory is forced too), so a crash never leaves a
 * partial file under an artifact's name.
 */
public final class FileSystemArtifactStore implements ArtifactStore {

    private static final String TMP = "tmp";
    private static final int BUFFER = 1 << 16;

    private final Path root;
    private final Path tmp;

    public FileSystemArtifactStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.tmp = this.root.resolve(TMP);
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot create artifact store at " + this.root + ": " + e, e);
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public StoredArtifact put(InputStream in, Optional<String> expectedSha256) {
        expectedSha256.ifPresent(FileSystemArtifactStore::checkDigest);
        Path temporary = tmp.resolve(Ids.next() + ".part");
        try {
            MessageDigest digest = Sha256.newDigest();
            long size;
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = new DigestOutputStream(java.nio.channels.Channels.newOutputStream(channel), digest)) {
                size = in.transferTo(out);
                out.flush();
                channel.force(true);
            }
            String sha256 = HexFormat.of().formatHex(digest.digest());
            if (expectedSha256.isPresent() && !expectedSha256.get().equals(sha256)) {
                throw new AirlockException(ErrorCode.CHECKSUM_MISMATCH,
                        "artifact bytes have sha256 " + sha256 + " but " + expectedSha256.get() + " was expected");
            }
            moveIntoPlace(temporary, sha256);
            return new StoredArtifact(sha256, size);
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot write artifact to " + root + ": " + e, e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    @Override
    public StoredArtifact put(Path file, Optional<String> expectedSha256) {
        try (InputStream in = Files.newInputStream(file)) {
            return put(in, expectedSha256);
        } catch (NoSuchFileException e) {
            throw new AirlockException(ErrorCode.NOT_FOUND, "file not found: " + file, e);
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read " + file + ": " + e, e);
        }
    }

    private void moveIntoPlace(Path temporary, String sha256) throws IOException {
        Path target = location(sha256);
        if (Files.exists(target)) {
            return; // content-addressed: the stored bytes are the same
        }
        Path directory = target.getParent();
        Files.createDirectories(directory);
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            return; // a concurrent writer stored the same bytes first
        } catch (AtomicMoveNotSupportedException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "the filesystem of " + root + " cannot rename atomically", e);
        }
        forceDirectory(directory);
    }

    private static void forceDirectory(Path directory) {
        // Makes the rename durable; some filesystems cannot open directories, and then the file's own
        // force is all that can be done.
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }

    @Override
    public boolean contains(String sha256) {
        checkDigest(sha256);
        return Files.isRegularFile(location(sha256));
    }

    @Override
    public InputStream open(String sha256) {
        try {
            return Files.newInputStream(path(sha256));
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read artifact " + sha256 + ": " + e, e);
        }
    }

    @Override
    public Path path(String sha256) {
        checkDigest(sha256);
        Path location = location(sha256);
        if (!Files.isRegularFile(location)) {
            throw new AirlockException(ErrorCode.NOT_FOUND, "artifact " + sha256 + " is not in the store " + root);
        }
        return location;
    }

    @Override
    public void delete(String sha256) {
        checkDigest(sha256);
        try {
            Files.deleteIfExists(location(sha256));
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot delete artifact " + sha256 + ": " + e, e);
        }
    }

    @Override
    public void forEach(Instant olderThan, Consumer<String> visitor) {
        try (DirectoryStream<Path> prefixes = Files.newDirectoryStream(root, p -> isHexPrefix(p.getFileName().toString()))) {
            for (Path prefix : prefixes) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(prefix)) {
                    for (Path file : files) {
                        String sha256 = prefix.getFileName().toString() + file.getFileName();
                        if (Sha256.isHex(sha256) && Files.getLastModifiedTime(file).toInstant().isBefore(olderThan)) {
                            visitor.accept(sha256);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isHexPrefix(String name) {
        return name.length() == 2 && Sha256.isHex(name + "0".repeat(62));
    }

    private Path location(String sha256) {
        return root.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2));
    }

    private static void checkDigest(String sha256) {
        if (!Sha256.isHex(sha256)) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, "not a lower-case hex sha256: '" + sha256 + "'");
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a leftover temporary file is harmless; it is never read
        }
    }
}
