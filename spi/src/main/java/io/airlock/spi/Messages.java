package io.airlock.spi;

/**
 * Values from untrusted input as error messages quote them: cut short and on one line, so that a
 * hostile name or field cannot make a refusal long or span lines.
 */
public final class Messages {

    /** The most characters of one quoted value. */
    public static final int MAX_QUOTED = 120;

    private Messages() {
    }

    /** {@link #cut(String, int)} to {@value #MAX_QUOTED} characters. */
    public static String cut(String value) {
        return cut(value, MAX_QUOTED);
    }

    /**
     * {@code value} on one line (line breaks as spaces, other control characters as {@code ?}), cut to
     * {@code max} characters ("..." marks a cut).
     */
    public static String cut(String value, int max) {
        if (value == null) {
            return "null";
        }
        String shown = value.length() <= max ? value : value.substring(0, Math.max(0, max - 3)) + "...";
        // a parser's multi-line report reads as one line; other control characters are made visible
        return shown.replaceAll("[ \\t]*\\R[ \\t]*", " ").replaceAll("\\p{Cntrl}", "?");
    }
}
