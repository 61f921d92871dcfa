package io.airlock.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Test directory trees: written from and read into maps of relative path to bytes. */
final class Trees {

    private Trees() {
    }

    static Path write(Path root, Map<String, byte[]> files) {
        try {
            Files.createDirectories(root);
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Path path = root.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.write(path, file.getValue());
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every regular file under root by its '/'-separated relative path. */
    static Map<String, byte[]> read(Path root) {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.filter(Files::isRegularFile)::iterator) {
                files.put(root.relativize(path).toString().replace('\\', '/'), Files.readAllBytes(path));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** A tree with nested directories, a binary file, an empty file and a name with a space and a comma. */
    static Map<String, byte[]> sample() {
        byte[] binary = new byte[70_000];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 31 + 7);
        }
        Map<String, byte[]> files = new TreeMap<>();
        files.put("README.txt", "hello airlock\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        files.put("images/boot.bin", binary);
        files.put("images/nested/deeper/empty.dat", new byte[0]);
        files.put("docs/release notes, v1.txt", "spaces and a comma\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return files;
    }
}
