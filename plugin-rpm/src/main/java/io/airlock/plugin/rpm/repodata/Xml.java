package io.airlock.plugin.rpm.repodata;

import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.Messages;
import java.io.InputStream;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A streaming XML cursor over one metadata file whose errors name the file, line and column.
 * DTDs and external entities are off: repository metadata is untrusted input.
 */
final class Xml implements AutoCloseable {

    private static final XMLInputFactory FACTORY = newFactory();

    /** The longest problem quoted from the parser or about a hostile name or value. */
    static final int MAX_MESSAGE = 300;

    private final XMLStreamReader reader;
    private final String file;

    private static XMLInputFactory newFactory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        return factory;
    }

    Xml(InputStream in, String file) {
        this.file = file;
        try {
            this.reader = FACTORY.createXMLStreamReader(in);
        } catch (XMLStreamException e) {
            throw malformed(e);
        } catch (RuntimeException e) {
            throw parserFailure(e);
        }
    }

    String file() {
        return file;
    }

    /** Moves to the next start or end element; false at the end of the document. */
    boolean next() {
        try {
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.START_ELEMENT || event == XMLStreamConstants.END_ELEMENT) {
                    return true;
                }
            }
            return false;
        } catch (XMLStreamException e) {
            throw malformed(e);
        } catch (RuntimeException e) {
            throw parserFailure(e);
        }
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

    /** The text of a text-only element; leaves the cursor on its end tag. */
    String text() {
        try {
            return reader.getElementText();
        } catch (XMLStreamException e) {
            throw malformed(e);
        } catch (RuntimeException e) {
            throw parserFailure(e);
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
        Location location = e.getLocation();
        String where = location == null ? file : file + " line " + location.getLineNumber() + " column " + location.getColumnNumber();
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

    @Override
    public void close() {
        try {
            reader.close();
        } catch (XMLStreamException e) {
            // Nothing to release beyond the stream, which the caller closes.
        }
    }
}
