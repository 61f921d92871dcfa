package io.airlock.core.archive;

import io.airlock.core.store.Sha256;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads an export's files in the TOC's order as one stream, in place (no concatenation, no
 * extraction). Each file is hashed as it is read; at its end its size and sha256 are checked, and
 * a mismatch fails the read naming the file.
 */
final class ChunkedInput extends InputStream {

    private final Path directory;
    private final List<Toc.TocFile> files;
    private int index = -1;
    private InputStream current;
    private MessageDigest digest;
    private long read;
    private long totalRead;

    ChunkedInput(Path directory, List<Toc.TocFile> files) {
        this.directory = directory;
        this.files = files;
    }

    /** Bytes delivered so far, over all files. */
    long position() {
        return totalRead;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (true) {
            if (current == null && !openNext()) {
                return -1;
            }
            int n = readCurrent(buffer, offset, length);
            if (n >= 0) {
                return n;
            }
        }
    }

    /** Reads from the current file; at its end checks and closes it and returns -1. */
    private int readCurrent(byte[] buffer, int offset, int length) throws IOException {
        Toc.TocFile file = files.get(index);
        long left = file.size() - read;
        int n = current.read(buffer, offset, (int) Math.min(length, Math.max(left, 1)));
        if (n < 0 || left == 0) {
            if (n > 0) {
                throw invalid(file, "is longer than the " + file.size() + " bytes the table of contents gives");
            }
            finish(file);
            return -1;
        }
        digest.update(buffer, offset, n);
        read += n;
        totalRead += n;
        return n;
    }

    private boolean openNext() throws IOException {
        if (index + 1 >= files.size()) {
            return false;
        }
        index++;
        Toc.TocFile file = files.get(index);
        Path path = checkRegularFile(directory, file.name(), "export file " + file.name());
        long size = Files.size(path);
        if (size != file.size()) {
            // Before reading: a file of another size fails anyway, and reading it first could take
            // as long as its author likes.
            throw invalid(file, "has " + size + " bytes but the table of contents gives " + file.size());
        }
        current = Files.newInputStream(path);
        digest = Sha256.newDigest();
        read = 0;
        return true;
    }

    private void finish(Toc.TocFile file) throws IOException {
        current.close();
        current = null;
        if (read != file.size()) {
            throw invalid(file, "has " + read + " bytes but the table of contents gives " + file.size());
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(file.sha256())) {
            throw invalid(file, "has sha256 " + actual + " but the table of contents gives " + file.sha256());
        }
    }

    /**
     * Reads the rest of the file being read, if any, and checks it (size and sha256), without
     * opening the next one.
     */
    void verifyCurrent() throws IOException {
        byte[] buffer = new byte[1 << 16];
        while (current != null && readCurrent(buffer, 0, buffer.length) >= 0) {
            // reading verifies
        }
    }

    /** Reads and checks whatever is left, for callers that stop before the end of the stream. */
    void drainAndVerify() throws IOException {
        byte[] buffer = new byte[1 << 16];
        while (read(buffer, 0, buffer.length) >= 0) {
            // reading verifies
        }
    }

    /**
     * Returns {@code directory/name} when it is a regular file, or a symbolic link to one inside
     * {@code directory}: never a FIFO or device (reading one may block forever or never end), nor a
     * link leaving the directory. {@code what} names the file in messages.
     */
    static Path checkRegularFile(Path directory, String name, String what) throws IOException {
        Path path = directory.resolve(name);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new AirlockException(ErrorCode.ARCHIVE_INVALID, what + " is missing from " + directory);
        }
        if (attributes.isSymbolicLink()) {
            Path target;
            try {
                target = path.toRealPath();
            } catch (NoSuchFileException e) {
                throw new AirlockException(ErrorCode.ARCHIVE_INVALID, what + " is a symbolic link to a missing file");
            }
            if (!target.startsWith(directory.toRealPath())) {
                throw new AirlockException(ErrorCode.ARCHIVE_INVALID, what + " is a symbolic link to " + target
                        + ", outside " + directory + "; an export's files are read only from its own directory");
            }
            attributes = Files.readAttributes(target, BasicFileAttributes.class);
        }
        if (!attributes.isRegularFile()) {
            throw new AirlockException(ErrorCode.ARCHIVE_INVALID, what + " in " + directory + " is not a regular file"
                    + (attributes.isDirectory() ? " but a directory" : attributes.isOther() ? " (a FIFO, socket or device)" : ""));
        }
        return path;
    }

    private static AirlockException invalid(Toc.TocFile file, String problem) {
        return new AirlockException(ErrorCode.ARCHIVE_INVALID, "export file " + file.name() + " " + problem);
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
