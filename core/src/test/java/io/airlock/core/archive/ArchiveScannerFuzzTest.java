package io.airlock.core.archive;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airlock.core.store.StoredArtifact;
import io.airlock.testing.FuzzContract;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the archive reader and scanner, the walk that both {@code import} and {@code verify} make
 * over an export, with a sink that only drains artifact bytes. Two targets: raw tar bytes, and a
 * structure-aware one whose input lists the entries as text, so mutations reach past the tar layer.
 */
final class ArchiveScannerFuzzTest {

    /** Starts an entry in the entries input: {@code === NAME} or {@code === NAME|F} with F a tar type flag. */
    private static final byte[] MARK = "=== ".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    static Path directory;

    @FuzzTest
    void tarBytes(byte[] input) throws Exception {
        scan(input);
    }

    /**
     * The input is a list of entries, each {@code === NAME[|FLAG]\n} followed by its bytes up to the
     * next line starting with {@code === }; they are written as a real tar stream (PAX headers for
     * long names), then scanned.
     */
    @FuzzTest
    void entries(byte[] input) throws Exception {
        byte[] tar;
        try {
            tar = tar(input);
        } catch (IOException | RuntimeException e) {
            return; // the entries cannot be written as a tar (e.g. bytes for a directory): nothing to read
        }
        scan(tar);
    }

    private static void scan(byte[] tar) throws Exception {
        Path file = directory.resolve("fuzz.tar");
        Files.write(file, tar);
        Path scratch = Files.createDirectories(directory.resolve("scratch"));
        FuzzContract.check(() -> {
            try (ArchiveReader reader = ArchiveReader.open(file)) {
                new ArchiveScanner(reader, scratch).scan(new DrainingSink());
            }
        });
    }

    static byte[] tar(byte[] input) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            int at = indexOf(input, MARK, 0);
            while (at >= 0) {
                int headerEnd = indexOf(input, new byte[] {'\n'}, at);
                if (headerEnd < 0) {
                    break;
                }
                String header = new String(input, at + MARK.length, headerEnd - at - MARK.length, StandardCharsets.UTF_8);
                int next = indexOf(input, MARK, headerEnd + 1);
                int end = next < 0 ? input.length : next;
                // the newline before the next mark separates entries; it is not content
                int contentEnd = next > headerEnd + 1 && input[next - 1] == '\n' ? end - 1 : end;
                byte[] content = Arrays.copyOfRange(input, headerEnd + 1, Math.max(headerEnd + 1, contentEnd));
                write(out, header, content);
                at = next;
            }
        }
        return bytes.toByteArray();
    }

    private static void write(TarArchiveOutputStream out, String header, byte[] content) throws IOException {
        int bar = header.lastIndexOf('|');
        byte flag = TarConstants.LF_NORMAL;
        String name = header;
        if (bar >= 0 && bar == header.length() - 2) {
            flag = (byte) header.charAt(bar + 1);
            name = header.substring(0, bar);
        }
        if (name.isEmpty()) {
            name = "empty";
        }
        TarArchiveEntry entry = new TarArchiveEntry(name, flag, true);
        boolean hasBytes = flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM || flag == TarConstants.LF_CONTIG;
        if (!hasBytes) {
            entry.setLinkName("target");
        }
        entry.setSize(hasBytes ? content.length : 0);
        out.putArchiveEntry(entry);
        if (hasBytes) {
            out.write(content);
        }
        out.closeArchiveEntry();
    }

    private static int indexOf(byte[] data, byte[] what, int from) {
        outer:
        for (int i = Math.max(0, from); i <= data.length - what.length; i++) {
            if (what.length > 1 && i > 0 && data[i - 1] != '\n') {
                continue; // a mark counts only at the start of a line
            }
            for (int j = 0; j < what.length; j++) {
                if (data[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Reads every artifact's bytes, as a sink must, and keeps nothing. */
    private static final class DrainingSink implements ArchiveScanner.Sink {
        @Override
        public void manifest(Manifest manifest) {
        }

        @Override
        public void artifactsListed(List<StoredArtifact> next) {
        }

        @Override
        public void artifact(String sha256, long size, InputStream bytes) throws IOException {
            long read = bytes.transferTo(OutputStream.nullOutputStream());
            if (read != size) {
                throw new AssertionError("artifact " + sha256 + " delivered " + read + " bytes, not " + size);
            }
        }

        @Override
        public void row(String type, ObjectNode row, String where) {
        }

        @Override
        public void link(String unitDigest, String path, Optional<String> sha256, String where) {
        }

        @Override
        public void members(int repository, List<String> keyDigests, String where) {
        }

        @Override
        public void membersAdded(int repository, List<String> keyDigests, String where) {
        }

        @Override
        public void membersRemoved(int repository, List<String> keyDigests, String where) {
        }

        @Override
        public void endOfMembership(int repository) {
        }
    }
}
