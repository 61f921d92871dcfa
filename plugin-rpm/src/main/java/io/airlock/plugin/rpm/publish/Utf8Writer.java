package io.airlock.plugin.rpm.publish;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;

/**
 * A buffered UTF-8 writer over a stream: what a {@code BufferedWriter} over an
 * {@code OutputStreamWriter} writes, byte for byte (an unpaired surrogate becomes {@code ?} as the
 * JDK's encoder makes it), without the copy into a char buffer and the charset encoder between.
 * Metadata text is mostly ASCII, which takes one comparison per char here.
 */
final class Utf8Writer extends Writer {

    private final OutputStream out;
    private final byte[] buffer;
    private final char[] chars = new char[1024];
    private int count;
    /** A high surrogate that ended the last write, waiting for its low half. */
    private char high;

    Utf8Writer(OutputStream out, int bufferBytes) {
        this.out = out;
        this.buffer = new byte[Math.max(bufferBytes, 16)];
    }

    @Override
    public void write(int c) throws IOException {
        put((char) c);
    }

    @Override
    public void write(String text, int offset, int length) throws IOException {
        // Chars are copied out in bulk (String.charAt costs a bounds check per char) and encoded from there.
        int end = offset + length;
        while (offset < end) {
            int piece = Math.min(end - offset, chars.length);
            text.getChars(offset, offset + piece, chars, 0);
            encode(chars, 0, piece);
            offset += piece;
        }
    }

    @Override
    public void write(char[] text, int offset, int length) throws IOException {
        encode(text, offset, length);
    }

    private void encode(char[] text, int offset, int length) throws IOException {
        int end = offset + length;
        int i = offset;
        while (i < end) {
            // ASCII runs straight into the buffer.
            int stop = i + Math.min(end - i, buffer.length - count);
            if (high == 0) {
                while (i < stop) {
                    char c = text[i];
                    if (c >= 0x80) {
                        break;
                    }
                    buffer[count++] = (byte) c;
                    i++;
                }
            }
            if (i < end && i == stop) {
                flushBuffer(); // the buffer is full
            } else if (i < end) {
                put(text[i++]);
            }
        }
    }

    private void put(char c) throws IOException {
        if (buffer.length - count < 4) {
            flushBuffer();
        }
        if (high != 0) {
            char first = high;
            high = 0;
            if (Character.isLowSurrogate(c)) {
                int code = Character.toCodePoint(first, c);
                buffer[count++] = (byte) (0xF0 | (code >> 18));
                buffer[count++] = (byte) (0x80 | ((code >> 12) & 0x3F));
                buffer[count++] = (byte) (0x80 | ((code >> 6) & 0x3F));
                buffer[count++] = (byte) (0x80 | (code & 0x3F));
                return;
            }
            buffer[count++] = '?';
            put(c);
            return;
        }
        if (c < 0x80) {
            buffer[count++] = (byte) c;
        } else if (c < 0x800) {
            buffer[count++] = (byte) (0xC0 | (c >> 6));
            buffer[count++] = (byte) (0x80 | (c & 0x3F));
        } else if (Character.isHighSurrogate(c)) {
            high = c;
        } else if (Character.isLowSurrogate(c)) {
            buffer[count++] = '?';
        } else {
            buffer[count++] = (byte) (0xE0 | (c >> 12));
            buffer[count++] = (byte) (0x80 | ((c >> 6) & 0x3F));
            buffer[count++] = (byte) (0x80 | (c & 0x3F));
        }
    }

    private void flushBuffer() throws IOException {
        if (count > 0) {
            out.write(buffer, 0, count);
            count = 0;
        }
    }

    /** Writes out what is buffered; a high surrogate still waiting for its low half stays. */
    @Override
    public void flush() throws IOException {
        flushBuffer();
        out.flush();
    }

    /** Flushes (an unpaired high surrogate at the end becomes {@code ?}) and closes the stream. */
    @Override
    public void close() throws IOException {
        if (high != 0) {
            high = 0;
            put('?');
        }
        flushBuffer();
        out.close();
    }
}
