package io.airlock.plugin.rpm.publish;

import java.io.IOException;
import java.io.Writer;

/**
 * Writes XML text the way createrepo_c lays it out (two-space indents, one element per line),
 * escaping as it goes. Values come from the database, and an imported row may hold characters XML
 * 1.0 cannot carry (control characters): those are refused with {@link IllegalArgumentException},
 * which the writers turn into an error naming the unit, never written silently changed.
 */
final class XmlOut {

    static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

    private final Writer out;

    XmlOut(Writer out) {
        this.out = out;
    }

    XmlOut raw(String text) throws IOException {
        out.write(text);
        return this;
    }

    /** Element text, escaped; null writes nothing. */
    XmlOut text(String text) throws IOException {
        if (text != null) {
            escape(text, false);
        }
        return this;
    }

    /** {@code  name="value"} when the value is not null. */
    XmlOut attribute(String name, Object value) throws IOException {
        if (value != null) {
            out.write(' ');
            out.write(name);
            out.write("=\"");
            escape(value.toString(), true);
            out.write('"');
        }
        return this;
    }

    /** {@code <name>text</name>} on its own line at {@code indent}, empty when the text is null. */
    XmlOut element(String indent, String name, String text) throws IOException {
        out.write(indent);
        out.write('<');
        out.write(name);
        out.write('>');
        text(text);
        out.write("</");
        out.write(name);
        out.write(">\n");
        return this;
    }

    /** {@link #element} only when the text is not null. */
    XmlOut optional(String indent, String name, String text) throws IOException {
        return text == null ? this : element(indent, name, text);
    }

    private void escape(String text, boolean attribute) throws IOException {
        int length = text.length();
        int start = 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> attribute ? "&quot;" : null;
                case '\r' -> "&#13;";
                case '\n' -> attribute ? "&#10;" : null;
                case '\t' -> attribute ? "&#9;" : null;
                default -> {
                    if (c < 0x20 || c == 0xFFFE || c == 0xFFFF) {
                        throw new IllegalArgumentException(String.format("character U+%04X cannot be written in XML", (int) c));
                    }
                    if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < length
                            && Character.isLowSurrogate(text.charAt(i + 1)))
                            && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(text.charAt(i - 1)))) {
                        throw new IllegalArgumentException(String.format("unpaired surrogate U+%04X cannot be written in XML", (int) c));
                    }
                    yield null;
                }
            };
            if (replacement != null) {
                out.write(text, start, i - start);
                out.write(replacement);
                start = i + 1;
            }
        }
        out.write(text, start, length - start);
    }
}
