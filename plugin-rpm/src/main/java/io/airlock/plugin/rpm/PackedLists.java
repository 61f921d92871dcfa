package io.airlock.plugin.rpm;

import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A package's complete file list and its changelog entries, packed into one compressed column each:
 * NUL-separated fields (paths and changelog texts hold no NUL: XML cannot carry one), zlib-deflated.
 * A list of thousands of paths sharing their directories packs to a tenth of its XML, and is read
 * and written with its package, never queried entry by entry.
 *
 * <p>Files: {@code type NUL path NUL} per file, type empty for a plain file. Changelogs:
 * {@code author NUL date NUL text NUL} per entry, the date in decimal seconds.
 */
public final class PackedLists {

    /**
     * Most bytes a packed list unpacks to: a {@code <package>} of filelists or other is at most
     * {@link io.airlock.plugin.rpm.repodata.Limits#UNIT_BYTES}, and its packed fields are fewer bytes
     * than its XML. Anything larger (from an archive) is refused rather than inflated.
     */
    public static final int MAX_UNPACKED_BYTES = 16 << 20;

    /**
     * Most bytes of one packed list: the column length. VARBINARY, not BLOB: on H2 a BLOB is stored
     * apart from its row, which makes ingest several times slower (as for texts, see RpmText), and
     * H2's VARBINARY holds 1,000,000 bytes. Lists pack to about a tenth of their XML (the largest
     * {@code <package>} of CentOS Stream 9 BaseOS's filelists, {@code filesystem} at 881 KB of XML,
     * packs to 51 KB); a larger one is refused, naming the package.
     */
    public static final int COLUMN_BYTES = 1_000_000;

    private PackedLists() {
    }

    /** Packs a file list (null for null). */
    public static byte[] packFiles(List<RpmFile> files) {
        if (files == null) {
            return null;
        }
        ByteArrayOutputStream raw = new ByteArrayOutputStream(files.size() * 48);
        for (RpmFile file : files) {
            field(raw, file.type() == null ? "" : file.type());
            field(raw, file.path());
        }
        return deflate(raw.toByteArray());
    }

    /** Packs changelog entries (null for null). */
    public static byte[] packChangelogs(List<RpmChangelog> changelogs) {
        if (changelogs == null) {
            return null;
        }
        ByteArrayOutputStream raw = new ByteArrayOutputStream(changelogs.size() * 200);
        for (RpmChangelog entry : changelogs) {
            field(raw, entry.author());
            field(raw, Long.toString(entry.date()));
            field(raw, entry.text());
        }
        return deflate(raw.toByteArray());
    }

    /** The files of a packed list, in order; {@code owner} names the package in an error. */
    public static List<RpmFile> unpackFiles(byte[] packed, String owner) {
        List<RpmFile> files = new ArrayList<>();
        forEachFile(packed, owner, files::add);
        return files;
    }

    /** Streams the files of a packed list, in order. */
    public static void forEachFile(byte[] packed, String owner, Consumer<RpmFile> files) {
        Fields fields = new Fields(inflate(packed, owner), owner);
        while (fields.hasNext()) {
            String type = fields.next();
            String path = fields.next();
            files.accept(new RpmFile(path, type.isEmpty() ? null : type));
        }
    }

    /** The changelog entries of a packed list, in order. */
    public static List<RpmChangelog> unpackChangelogs(byte[] packed, String owner) {
        Fields fields = new Fields(inflate(packed, owner), owner);
        List<RpmChangelog> entries = new ArrayList<>();
        while (fields.hasNext()) {
            String author = fields.next();
            String date = fields.next();
            String text = fields.next();
            try {
                entries.add(new RpmChangelog(author, Long.parseLong(date), text));
            } catch (NumberFormatException e) {
                throw corrupt(owner, "a changelog date '" + io.airlock.spi.Messages.cut(date) + "' is not a number");
            }
        }
        return entries;
    }

    private static void field(ByteArrayOutputStream raw, String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a file path or changelog holds a NUL character");
        }
        raw.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        raw.write(0);
    }

    private static byte[] deflate(byte[] raw) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
        try {
            deflater.setInput(raw);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, raw.length / 6));
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) {
                int n = deflater.deflate(buffer);
                out.write(buffer, 0, n);
            }
            if (out.size() > COLUMN_BYTES) {
                throw new IllegalArgumentException("it packs to " + out.size() + " bytes, more than the limit of " + COLUMN_BYTES);
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static byte[] inflate(byte[] packed, String owner) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(packed);
            ByteArrayOutputStream out = new ByteArrayOutputStream(packed.length * 6);
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && !inflater.finished() && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw corrupt(owner, "it ends early");
                }
                out.write(buffer, 0, n);
                if (out.size() > MAX_UNPACKED_BYTES) {
                    throw corrupt(owner, "it unpacks to more than " + MAX_UNPACKED_BYTES + " bytes");
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw corrupt(owner, e.getMessage());
        } finally {
            inflater.end();
        }
    }

    private static AirlockException corrupt(String owner, String why) {
        return new AirlockException(ErrorCode.INVALID_INPUT, owner + ": its packed file list or changelog is corrupt: " + why);
    }

    /** The NUL-terminated UTF-8 fields of an unpacked list. */
    private static final class Fields {
        private final byte[] bytes;
        private final String owner;
        private int at;

        Fields(byte[] bytes, String owner) {
            this.bytes = bytes;
            this.owner = owner;
        }

        boolean hasNext() {
            return at < bytes.length;
        }

        String next() {
            int end = at;
            while (end < bytes.length && bytes[end] != 0) {
                end++;
            }
            if (end == bytes.length) {
                throw corrupt(owner, "a field is not terminated");
            }
            String value = new String(bytes, at, end - at, StandardCharsets.UTF_8);
            at = end + 1;
            return value;
        }
    }
}
