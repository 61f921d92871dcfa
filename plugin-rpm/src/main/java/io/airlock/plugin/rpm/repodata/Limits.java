package io.airlock.plugin.rpm.repodata;

import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.io.InputStream;
import java.util.Locale;

/**
 * What the repodata readers accept from untrusted metadata. A file that goes beyond a limit is
 * refused with one message naming the file, the line (and column) and the limit, before memory or
 * time grows with it. The limits are far above what real repositories hold (CentOS Stream 9
 * AppStream: largest {@code <package>} 290 KB, longest description 3 KB, deepest nesting 5).
 * docs/rpm.md lists them.
 */
public final class Limits {

    /** Largest {@code repodata/repomd.xml}, in bytes (real ones hold a few kilobytes). */
    public static final long REPOMD_BYTES = 1L << 20;

    /**
     * Longest text of one element ({@code <description>}, {@code <file>}…), in characters: what the
     * database columns of descriptions and advisory texts hold.
     */
    public static final int TEXT_CHARS = 1_000_000;

    /**
     * Most bytes the XML parser may read for one piece of markup: a tag with its attributes, a
     * comment, a processing instruction or a DOCTYPE (the parser holds each whole in memory).
     */
    public static final int MARKUP_BYTES = 1 << 20;

    /** Deepest element nesting in an XML file. */
    public static final int XML_DEPTH = 64;

    /** Largest element directly under the root ({@code <package>}, {@code <update>}, {@code <group>}), in bytes. */
    public static final long UNIT_BYTES = 8L << 20;

    /** Longest line of {@code modules.yaml}, in characters. */
    public static final int YAML_LINE_CHARS = 1 << 20;

    /**
     * Largest YAML document of {@code modules.yaml} (one module), in characters: what the database
     * column of a module's original document holds.
     */
    public static final int YAML_DOCUMENT_CHARS = 10_000_000;

    /** Deepest nesting of collections in a YAML document. */
    public static final int YAML_DEPTH = 64;

    /**
     * A compressed metadata file may decompress to at most this many times its size, or
     * {@link #DECOMPRESSED_FLOOR_BYTES}, whichever is larger (real metadata: 8 to 15 times).
     */
    public static final long DECOMPRESSION_RATIO = 200;

    /** A compressed metadata file may always decompress to this many bytes. */
    public static final long DECOMPRESSED_FLOOR_BYTES = 256L << 20;

    private Limits() {
    }

    /** "1 MiB (1,048,576 bytes)": a limit as messages show it. */
    static String show(long limit, String unit) {
        String exact = String.format(Locale.ROOT, "%,d %s", limit, unit);
        if (limit >= 1 << 20 && limit % (1 << 20) == 0) {
            return (limit >> 20) + " MiB (" + exact + ")";
        }
        return exact;
    }

    /** {@code in}, refusing to read more than {@code max} bytes from it: {@code file} is larger than that. */
    static InputStream bounded(InputStream in, String file, long max) {
        return bounded(in, max, file + ": larger than the limit of " + show(max, "bytes"));
    }

    /** {@code in}, refusing with {@code message} to read more than {@code max} bytes from it. */
    static InputStream bounded(InputStream in, long max, String message) {
        return new CountingInputStream(in) {
            private long count;

            @Override
            void counted(long n) {
                count += n;
                if (count > max) {
                    throw new AirlockException(ErrorCode.INVALID_INPUT, message);
                }
            }
        };
    }
}
