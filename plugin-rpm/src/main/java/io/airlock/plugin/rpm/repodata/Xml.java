package io.airlock.plugin.rpm.repodata;

import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.Messages;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A streaming XML cursor over one metadata file whose errors name the file, line and column.
 * DTDs and external entities are off: repository metadata is untrusted input. The cursor enforces
 * {@link Limits}: text is read in chunks up to {@link Limits#TEXT_CHARS}, the parser may read at most
 * {@link Limits#MARKUP_BYTES} for one event (it holds a comment, a tag's attributes, a processing
 * instruction whole), nesting stops at {@link Limits#XML_DEPTH} and an element under the root at
 * {@link Limits#UNIT_BYTES}.
 */
final class Xml implements AutoCloseable {

    private static final XMLInputFactory FACTORY = newFactory();

    /** The longest problem quoted from the parser or about a hostile name or value. */
    static final int MAX_MESSAGE = 300;

    private final XMLStreamReader reader;
    private final String file;
    private final Guard guard;
    private int depth;
    private long unitStart;
    private String unitName;
    private int unitLine;

    private static XMLInputFactory newFactory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        // Not coalescing: long text and CDATA arrive in chunks that text() counts, never whole.
        factory.setProperty(XMLInputFactory.IS_COALESCING, false);
        try {
            factory.setProperty("jdk.xml.cdataChunkSize", 1 << 14);
        } catch (IllegalArgumentException e) {
            // Another StAX implementation: the markup guard still bounds a CDATA section.
        }
        return factory;
    }

    Xml(InputStream in, String file) {
        this.file = file;
        this.guard = new Guard(in);
        try {
            // Decoded here, strictly: repository metadata is UTF-8, and the parser's own decoder prints
            // "[Fatal Error]" lines on stderr for bytes that are not.
            this.reader = FACTORY.createXMLStreamReader(new InputStreamReader(guard, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
        } catch (XMLStreamException e) {
            throw malformed(e);
        } catch (LimitExceeded e) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, file + ": " + MARKUP_TOO_LONG);
        } catch (RuntimeException e) {
            throw parserFailure(e);
        }
    }

    String file() {
        return file;
    }

    /** Moves to the next start or end element; false at the end of the document. */
    boolean next() {
        while (hasNext()) {
            int event = advance();
            if (event == XMLStreamConstants.START_ELEMENT || event == XMLStreamConstants.END_ELEMENT) {
                return true;
            }
        }
        return false;
    }

    private boolean hasNext() {
        try {
            return reader.hasNext();
        } catch (XMLStreamException e) {
            throw malformed(e);
        } catch (RuntimeException e) {
            throw parserFailure(e);
        }
    }

    /** One parser event, with the limits checked. */
    private int advance() {
        guard.eventStart = guard.count;
        int event;
        try {
            event = reader.next();
        } catch (XMLStreamException e) {
            throw malformed(e);
        } catch (LimitExceeded e) {
            throw markupTooLong();
        } catch (RuntimeException e) {
            throw parserFailure(e);
        }
        if (event == XMLStreamConstants.START_ELEMENT) {
            depth++;
            if (depth > Limits.XML_DEPTH) {
                throw error("elements nested deeper than the limit of " + Limits.XML_DEPTH);
            }
            if (depth == 2) {
                unitStart = guard.count;
                unitName = reader.getLocalName();
                unitLine = reader.getLocation().getLineNumber();
            }
        } else if (event == XMLStreamConstants.END_ELEMENT) {
            depth--;
        }
        if (depth >= 2 && guard.count - unitStart > Limits.UNIT_BYTES) {
            throw error("<" + unitName + "> starting at line " + unitLine + " is larger than the limit of "
                    + Limits.show(Limits.UNIT_BYTES, "bytes"));
        }
        return event;
    }

    /** Moves to the next start element inside the current element; false at its end tag. */
    boolean nextChild() {
        if (!next()) {
            throw error("unexpected end of document");
        }
        return reader.isStartElement();
    }

    boolean isStart() {
        return reader.isStartElement();
    }

    String name() {
        return reader.getLocalName();
    }

    /** The attribute's value, or null when absent. */
    String attribute(String localName) {
        for (int i = 0; i < reader.getAttributeCount(); i++) {
            if (reader.getAttributeLocalName(i).equals(localName)) {
                return reader.getAttributeValue(i);
            }
        }
        return null;
    }

    String requiredAttribute(String localName) {
        String value = attribute(localName);
        if (value == null) {
            throw error("<" + name() + "> has no " + localName + " attribute");
        }
        return value;
    }

    /**
     * The text of a text-only element, at most {@link Limits#TEXT_CHARS} characters; leaves the
     * cursor on its end tag.
     */
    String text() {
        String element = name();
        String single = null;
        StringBuilder text = null;
        while (true) {
            int event = advance();
            switch (event) {
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE,
                        XMLStreamConstants.ENTITY_REFERENCE -> {
                    int length = (text != null ? text.length() : single != null ? single.length() : 0) + reader.getTextLength();
                    if (length > Limits.TEXT_CHARS) {
                        throw error("the text of <" + element + "> is longer than the limit of "
                                + Limits.show(Limits.TEXT_CHARS, "characters"));
                    }
                    if (single == null && text == null) {
                        single = reader.getText();
                    } else {
                        if (text == null) {
                            text = new StringBuilder(single);
                        }
                        text.append(reader.getTextCharacters(), reader.getTextStart(), reader.getTextLength());
                    }
                }
                case XMLStreamConstants.COMMENT, XMLStreamConstants.PROCESSING_INSTRUCTION -> {
                    // not part of the text
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    return text != null ? text.toString() : single != null ? single : "";
                }
                case XMLStreamConstants.START_ELEMENT -> throw error("<" + element + "> holds an element <" + name()
                        + "> where text was expected");
                default -> throw error("unexpected end of document in <" + element + ">");
            }
        }
    }

    /** Skips the current element and everything in it; leaves the cursor on its end tag. */
    void skip() {
        int depth = 1;
        while (depth > 0) {
            if (!next()) {
                throw error("unexpected end of document");
            }
            depth += reader.isStartElement() ? 1 : -1;
        }
    }

    Long longAttribute(String localName) {
        String value = attribute(localName);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Long.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw error("<" + name() + " " + localName + "=\"" + value + "\"> is not a number");
        }
    }

    String position() {
        Location location = reader.getLocation();
        return file + " line " + location.getLineNumber() + " column " + location.getColumnNumber();
    }

    AirlockException error(String message) {
        return new AirlockException(ErrorCode.INVALID_INPUT, position() + ": " + Messages.cut(message, MAX_MESSAGE));
    }

    private AirlockException malformed(XMLStreamException e) {
        Location location = e.getLocation() != null ? e.getLocation() : reader != null ? reader.getLocation() : null;
        String where = location == null ? file : file + " line " + location.getLineNumber() + " column " + location.getColumnNumber();
        if (e.getNestedException() instanceof CharacterCodingException) {
            return new AirlockException(ErrorCode.INVALID_INPUT, where + ": not UTF-8 text");
        }
        String message = e.getMessage() == null ? "malformed XML" : e.getMessage();
        // The JDK parser prefixes its message with "ParseError at [row,col]:[..]\nMessage: "; keep the message.
        int at = message.indexOf("Message: ");
        if (at >= 0) {
            message = message.substring(at + "Message: ".length());
        }
        return new AirlockException(ErrorCode.INVALID_INPUT, where + ": malformed XML: " + Messages.cut(message.strip(), MAX_MESSAGE));
    }

    /**
     * The JDK's parser fails on some malformed documents with an unchecked exception instead of an
     * XMLStreamException (a DTD with a NUL: MissingResourceException for its own message key).
     */
    private AirlockException parserFailure(RuntimeException e) {
        return new AirlockException(ErrorCode.INVALID_INPUT, file + ": malformed XML (the parser failed with "
                + e.getClass().getSimpleName() + ": " + Messages.cut(e.getMessage(), MAX_MESSAGE) + ")", e);
    }

    private static final String MARKUP_TOO_LONG = "markup (a tag with its attributes, a comment, a processing instruction"
            + " or a DOCTYPE) longer than the limit of " + Limits.show(Limits.MARKUP_BYTES, "bytes");

    private AirlockException markupTooLong() {
        return error(MARKUP_TOO_LONG);
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (XMLStreamException e) {
            // Nothing to release beyond the stream, which the caller closes.
        }
    }

    /** Thrown by the guard inside the parser; turned into an error with the parser's position. */
    private static final class LimitExceeded extends RuntimeException {
        LimitExceeded() {
            super(null, null, false, false);
        }
    }

    /** Counts the bytes the parser reads, and stops it when one event needs more than {@link Limits#MARKUP_BYTES}. */
    private static final class Guard extends CountingInputStream {
        long count;
        long eventStart;

        Guard(InputStream in) {
            super(in);
        }

        @Override
        void counted(long n) {
            count += n;
            if (count - eventStart > Limits.MARKUP_BYTES) {
                throw new LimitExceeded();
            }
        }
    }
}
