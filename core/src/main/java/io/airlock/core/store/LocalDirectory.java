package io.airlock.core.store;

import static java.util.Objects.requireNonNull;

import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A directory of the local disk read as untrusted input ({@code file add}, {@code rpm sync}): only
 * regular files are read, never FIFOs, devices or sockets (opening a FIFO blocks forever), and a
 * symbolic link anywhere below the directory is refused, or, with {@link Options#followSymlinks()},
 * followed only when its real target stays inside the directory (compared by real path components,
 * not string prefixes). The directory itself may be a link: the caller named it.
 *
 * <p>Checks are made before a file is opened, and a file is opened without following a link at its
 * last component; a directory that is changed while it is read is not defended against.
 */
public final class LocalDirectory {

    /** How a directory is read. */
    public record Options(boolean followSymlinks) {

        /** Symbolic links refused. */
        public static final Options DEFAULT = new Options(false);

        /** Symbolic links followed when their target stays inside the directory. */
        public static final Options FOLLOW_SYMLINKS = new Options(true);
    }

    private final Path directory;
    private final Path root;
    private final boolean follow;

    private LocalDirectory(Path directory, Path root, boolean follow) {
        this.directory = directory;
        this.root = root;
        this.follow = follow;
    }

    /** The directory {@code directory}; {@code NOT_FOUND} when it does not exist or is not a directory. */
    public static LocalDirectory open(Path directory, Options options) {
        requireNonNull(options, "options");
        Path root;
        try {
            root = directory.toRealPath();
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.NOT_FOUND, "directory not found: " + directory);
        }
        if (!Files.isDirectory(root)) {
            throw new AirlockException(ErrorCode.NOT_FOUND, "directory not found: " + directory + " is not a directory");
        }
        return new LocalDirectory(directory, root, options.followSymlinks());
    }

    /** The directory's real path: every path this returns is inside it. */
    public Path root() {
        return root;
    }

    /**
     * The regular file at {@code relativePath} (checked by {@link RelativePaths}), empty when nothing is
     * there. A symbolic link on the way is refused (or followed inside the directory when allowed), and
     * so is anything there that is not a regular file; {@code where} names the path's origin.
     */
    public Optional<Path> file(String relativePath, String where) {
        RelativePaths.check(relativePath, where);
        String[] parts = relativePath.split("/");
        Path current = root;
        for (int i = 0; i < parts.length; i++) {
            current = current.resolve(parts[i]);
            String shown = String.join("/", Arrays.copyOf(parts, i + 1));
            BasicFileAttributes attributes = attributes(current);
            if (attributes == null) {
                return Optional.empty();
            }
            if (attributes.isSymbolicLink()) {
                current = followed(current, shown);
                attributes = attributes(current);
                if (attributes == null) {
                    return Optional.empty();
                }
            }
            if (i < parts.length - 1) {
                if (!attributes.isDirectory()) {
                    return Optional.empty();
                }
            } else if (!attributes.isRegularFile()) {
                throw notRegular(current, shown, attributes);
            }
        }
        return Optional.of(current);
    }

    /** Opens a file this directory returned, never following a link at its last component. */
    public InputStream open(Path file) throws IOException {
        return Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Calls {@code files} with the relative path ({@code /}-separated, checked) and the path to
     * {@link #open} of every regular file below the directory, refusing anything else but directories.
     */
    public void walk(BiConsumer<String, Path> files) {
        Set<FileVisitOption> options = follow ? EnumSet.of(FileVisitOption.FOLLOW_LINKS) : EnumSet.noneOf(FileVisitOption.class);
        try {
            Files.walkFileTree(root, options, Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                    if (follow && !dir.equals(root) && Files.isSymbolicLink(dir)) {
                        followed(dir, relative(dir));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    String relative = relative(file);
                    Path readable = file;
                    if (attributes.isSymbolicLink()) {
                        // Not followed, or (when following) a link whose target does not exist.
                        followed(file, relative);
                    } else if (follow && Files.isSymbolicLink(file)) {
                        readable = followed(file, relative);
                    }
                    if (!attributes.isRegularFile()) {
                        throw notRegular(readable, relative, attributes);
                    }
                    files.accept(RelativePaths.check(relative, "file " + shown(relative)), readable);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof FileSystemLoopException) {
                        throw new AirlockException(ErrorCode.INVALID_INPUT, shown(relative(file))
                                + " is a symbolic link to a directory that contains it (a loop)");
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read directory " + directory + ": " + e.getMessage(), e);
        }
    }

    /** The real path of a link below the directory, when links are followed and its target stays inside. */
    private Path followed(Path link, String relative) {
        if (!follow) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, shown(relative)
                    + " is a symbolic link: refused (--follow-symlinks follows links that stay inside " + directory + ")");
        }
        Path real;
        try {
            real = link.toRealPath();
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, shown(relative) + " is a symbolic link to "
                    + linkText(link) + ", which does not exist");
        }
        if (!real.startsWith(root)) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, shown(relative) + " is a symbolic link to " + real
                    + ", outside " + directory + ": refused");
        }
        return real;
    }

    private AirlockException notRegular(Path path, String relative, BasicFileAttributes attributes) {
        String kind = attributes.isDirectory() ? "a directory" : kind(path);
        return new AirlockException(ErrorCode.INVALID_INPUT, shown(relative) + " is not a regular file (" + kind + "): refused");
    }

    /** FIFO, device or socket, from the Unix file mode where the platform has one. */
    private static String kind(Path path) {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            switch (mode & 0170000) {
                case 0010000: return "a FIFO";
                case 0020000: return "a character device";
                case 0060000: return "a block device";
                case 0140000: return "a socket";
                default: return "a special file";
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return "a special file";
        }
    }

    private static String linkText(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "a missing file";
        }
    }

    /** Attributes of the path itself (not a link's target); null when it does not exist. */
    private BasicFileAttributes attributes(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private String relative(Path path) {
        List<String> parts = new ArrayList<>();
        for (Path part : root.relativize(path)) {
            parts.add(part.toString());
        }
        return String.join("/", parts);
    }

    /** A path below the directory as the user named the directory. */
    private String shown(String relative) {
        return directory.resolve(relative).toString();
    }
}
