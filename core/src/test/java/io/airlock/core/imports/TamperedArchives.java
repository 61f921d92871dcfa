package io.airlock.core.imports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airlock.core.archive.Toc;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Copies a good export with one deliberate defect: reads its tar stream (through its TOC, chunks in
 * the TOC's order), lets a test edit the list of entries, and writes the result as a new export
 * whose TOC matches the new bytes exactly, so the edit is the only thing wrong with it.
 */
final class TamperedArchives {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TamperedArchives() {
    }

    /** One tar entry: a regular file with its bytes, or a link or device (no bytes). */
    record Item(String name, byte linkFlag, String linkName, byte[] bytes) {

        static Item file(String name, byte[] bytes) {
            return new Item(name, TarConstants.LF_NORMAL, "", bytes);
        }

        static Item file(String name, String text) {
            return file(name, text.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * A pax extended header giving the next entry the name {@code path}, however long: written
         * by hand, because the tar writer spends time quadratic in a name's length to fit it.
         */
        static Item paxPath(String path) {
            return pax("path", path);
        }

        /** A pax extended header with the one record {@code key=value} for the next entry. */
        static Item pax(String key, String value) {
            byte[] record = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8);
            int length = record.length + 1;
            while (length != record.length + Integer.toString(length).length()) {
                length = record.length + Integer.toString(length).length();
            }
            return new Item("././@PaxHeader", TarConstants.LF_PAX_EXTENDED_HEADER_LC, "",
                    (length + new String(record, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        }

        static Item symlink(String name, String target) {
            return new Item(name, TarConstants.LF_SYMLINK, target, new byte[0]);
        }

        static Item hardlink(String name, String target) {
            return new Item(name, TarConstants.LF_LINK, target, new byte[0]);
        }

        static Item characterDevice(String name) {
            return new Item(name, TarConstants.LF_CHR, "", new byte[0]);
        }

        static Item blockDevice(String name) {
            return new Item(name, TarConstants.LF_BLK, "", new byte[0]);
        }

        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        Item withBytes(byte[] replacement) {
            return new Item(name, linkFlag, linkName, replacement);
        }

        Item withText(String replacement) {
            return withBytes(replacement.getBytes(StandardCharsets.UTF_8));
        }

        /** JSON Lines entry: its lines without their newlines. */
        List<String> lines() {
            String text = text();
            return text.isEmpty() ? new ArrayList<>() : new ArrayList<>(Arrays.asList(text.substring(0, text.length() - 1).split("\n", -1)));
        }

        Item withLines(List<String> lines) {
            return withText(lines.isEmpty() ? "" : String.join("\n", lines) + "\n");
        }
    }

    /** The entries of an export, read through its TOC. */
    static List<Item> read(Path toc) throws IOException {
        Toc parsed = Toc.read(toc);
        List<InputStream> parts = new ArrayList<>();
        for (Toc.TocFile file : parsed.files()) {
            parts.add(Files.newInputStream(toc.resolveSibling(file.name())));
        }
        List<Item> items = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new SequenceInputStream(Collections.enumeration(parts)))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (!entry.isFile()) {
                    throw new IllegalStateException("a good export holds only files, not " + entry.getName());
                }
                items.add(Item.file(entry.getName(), tar.readAllBytes()));
            }
        } finally {
            for (InputStream part : parts) {
                part.close();
            }
        }
        return items;
    }

    /** Reads {@code toc}, applies {@code edit} and writes export {@code name} as one {@code .tar}; returns its TOC. */
    static Path tamper(Path toc, Path directory, String name, Consumer<List<Item>> edit) throws IOException {
        return tamper(toc, directory, name, OptionalLong.empty(), edit);
    }

    /** As {@link #tamper(Path, Path, String, Consumer)}, cut into chunks of {@code chunkSize} when given. */
    static Path tamper(Path toc, Path directory, String name, OptionalLong chunkSize, Consumer<List<Item>> edit) throws IOException {
        List<Item> items = read(toc);
        edit.accept(items);
        return write(directory, name, chunkSize, items);
    }

    /** Writes the entries as export {@code name} (one {@code .tar} or chunks) with a matching TOC; returns the TOC. */
    static Path write(Path directory, String name, OptionalLong chunkSize, List<Item> items) throws IOException {
        Files.createDirectories(directory);
        byte[] stream = tar(items);
        List<Toc.TocFile> files = new ArrayList<>();
        if (chunkSize.isEmpty()) {
            files.add(writeFile(directory.resolve(name + ".tar"), stream));
        } else {
            int size = Math.toIntExact(chunkSize.getAsLong());
            for (int from = 0, index = 0; from < stream.length; from += size, index++) {
                byte[] chunk = Arrays.copyOfRange(stream, from, Math.min(stream.length, from + size));
                files.add(writeFile(directory.resolve(String.format("%s.tar.%06d", name, index)), chunk));
            }
        }
        Path toc = directory.resolve(name + "-toc.json");
        new Toc(name, Instant.now(), chunkSize, files, Map.of()).write(toc);
        return toc;
    }

    private static byte[] tar(List<Item> items) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Item item : items) {
                TarArchiveEntry entry = new TarArchiveEntry(item.name(), item.linkFlag(), true);
                entry.setMode(0644);
                if (hasBytes(item)) {
                    entry.setSize(item.bytes().length);
                } else if (item.linkFlag() == TarConstants.LF_CHR || item.linkFlag() == TarConstants.LF_BLK) {
                    entry.setDevMajor(1);
                    entry.setDevMinor(3);
                } else {
                    entry.setLinkName(item.linkName());
                }
                tar.putArchiveEntry(entry);
                if (hasBytes(item)) {
                    tar.write(item.bytes());
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
        return bytes.toByteArray();
    }

    private static boolean hasBytes(Item item) {
        return item.linkFlag() == TarConstants.LF_NORMAL || item.linkFlag() == TarConstants.LF_PAX_EXTENDED_HEADER_LC;
    }

    private static Toc.TocFile writeFile(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        return new Toc.TocFile(file.getFileName().toString(), bytes.length, sha256(bytes));
    }

    // --- edits ---

    static int indexOf(List<Item> items, String name) {
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no entry " + name);
    }

    static Item entry(List<Item> items, String name) {
        return items.get(indexOf(items, name));
    }

    static void replace(List<Item> items, String name, UnaryOperator<Item> change) {
        int index = indexOf(items, name);
        items.set(index, change.apply(items.get(index)));
    }

    /** Edits a JSON entry (the manifest) in place. */
    static void editJson(List<Item> items, String name, Consumer<ObjectNode> change) {
        replace(items, name, item -> {
            try {
                ObjectNode root = (ObjectNode) JSON.readTree(item.bytes());
                change.accept(root);
                return item.withBytes(JSON.writeValueAsBytes(root));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Edits the lines of a JSON Lines entry in place. */
    static void editLines(List<Item> items, String name, Consumer<List<String>> change) {
        replace(items, name, item -> {
            List<String> lines = item.lines();
            change.accept(lines);
            return item.withLines(lines);
        });
    }

    /** The names of the artifact entries, in stream order. */
    static List<String> artifactEntries(List<Item> items) {
        return items.stream().map(Item::name).filter(n -> n.startsWith("artifacts/")).toList();
    }

    /** Edits a TOC file's JSON in place (then the TOC no longer matches what it was made from, on purpose). */
    static void editToc(Path toc, Consumer<ObjectNode> change) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(toc.toFile());
        change.accept(root);
        Files.write(toc, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }

    static byte[] flip(byte[] bytes, int index) {
        byte[] copy = bytes.clone();
        copy[index] ^= 0x01;
        return copy;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
