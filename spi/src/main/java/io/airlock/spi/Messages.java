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

    /** {@code value} with control characters as {@code ?}, cut to {@value #MAX_QUOTED} characters ("..." marks a cut). */
    public static String cut(String value) {
        if (value == null) {
            return "null";
        }
        String shown = value.length() <= MAX_QUOTED ? value : value.substring(0, MAX_QUOTED - 3) + "...";
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
