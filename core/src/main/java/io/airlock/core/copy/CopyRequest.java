package io.airlock.core.copy;

import static java.util.Objects.requireNonNull;

import io.airlock.core.repository.VersionRef;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.copy.CopyOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * A copy request: source → destination entries plus switches. Read from a JSON or YAML file with
 * {@link #parse(Path)} (the format of {@code docs/copy.md}) or built in code:
 *
 * <pre>{@code
 * CopyRequest request = CopyRequest.of(List.of(
 *         Entry.whole("el9-baseos@3", "el9-approved").withContent("rpm.package:bash-5.1.8-6.el9.x86_64"),
 *         Entry.whole("el9-appstream", "el9-approved")));
 * }</pre>
 *
 * @param origin where the request came from (a file name), for messages; empty for a request built in code
 * @param config the entries, at least one
 * @param options dependency solving and its switches
 * @param dryRun plan and check everything, change nothing
 */
public record CopyRequest(String origin, List<Entry> config, CopyOptions options, boolean dryRun) {

    /** Largest request file read, in bytes (a YAML or JSON document held in memory while parsed). */
    public static final int MAX_SIZE = 64 << 20;

    public CopyRequest {
        requireNonNull(origin, "origin");
        config = List.copyOf(config);
        requireNonNull(options, "options");
        if (config.isEmpty()) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, Problems.prefix(origin) + "config: the list is empty");
        }
    }

    /** A request built in code, with the default options. */
    public static CopyRequest of(List<Entry> config) {
        return new CopyRequest("", config, CopyOptions.DEFAULT, false);
    }

    /**
     * Reads a request file: YAML when its name ends with {@code .yaml} or {@code .yml}, JSON when it
     * ends with {@code .json}, otherwise JSON if it starts with <code>{</code> and YAML if not. Every
     * problem of the file is reported at once, in one {@code INVALID_INPUT} exception. Only a regular
     * file of at most {@link #MAX_SIZE} bytes is read.
     */
    public static CopyRequest parse(Path file) {
        byte[] bytes;
        try {
            // A regular file only: /dev/zero or a FIFO would never end (or never start).
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                throw new AirlockException(ErrorCode.INVALID_INPUT, "copy request " + file + " is not a regular file");
            }
            if (attributes.size() > MAX_SIZE) {
                throw tooLarge(file);
            }
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_SIZE + 1); // bounded even if the file grows meanwhile
            }
            if (bytes.length > MAX_SIZE) {
                throw tooLarge(file);
            }
        } catch (NoSuchFileException e) {
            throw new AirlockException(ErrorCode.NOT_FOUND, "copy request " + file + " does not exist", e);
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, "cannot read copy request " + file + ": " + e, e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, "copy request " + file + " is not UTF-8 text", e);
        }
        return parse(text, file.toString());
    }

    private static AirlockException tooLarge(Path file) {
        return new AirlockException(ErrorCode.INVALID_INPUT, "copy request " + file + " is larger than the limit of "
                + (MAX_SIZE >> 20) + " MiB");
    }

    /** Reads a request from text; {@code origin} names it in messages and chooses the format as in {@link #parse(Path)}. */
    public static CopyRequest parse(String text, String origin) {
        return RequestParser.parse(requireNonNull(text, "text"), requireNonNull(origin, "origin"));
    }

    public CopyRequest withOptions(CopyOptions options) {
        return new CopyRequest(origin, config, options, dryRun);
    }

    public CopyRequest withDependencySolving(boolean dependencySolving) {
        return withOptions(new CopyOptions(dependencySolving, options.dependencyUpgrade(), options.includeRecommends()));
    }

    public CopyRequest asDryRun() {
        return new CopyRequest(origin, config, options, true);
    }

    /**
     * One source → destination entry.
     *
     * @param source the source version (the latest when it has no number)
     * @param destination the destination repository's name
     * @param destinationBase the destination version the new one starts from (default: the latest)
     * @param content the units named from the source; empty for the whole source version. A present,
     *     empty list selects nothing: the source then only supplies dependencies.
     */
    public record Entry(VersionRef source, String destination, OptionalInt destinationBase, Optional<List<ContentName>> content) {

        public Entry {
            requireNonNull(source, "source");
            requireNonNull(destination, "destination");
            requireNonNull(destinationBase, "destinationBase");
            content = requireNonNull(content, "content").map(List::copyOf);
        }

        /** The whole of {@code source} ({@code NAME} or {@code NAME@N}) into the latest version of {@code destination}. */
        public static Entry whole(String source, String destination) {
            return new Entry(VersionRef.parse(source), destination, OptionalInt.empty(), Optional.empty());
        }

        /** The same entry selecting exactly these units ({@code TYPE:LABEL}); none selects nothing. */
        public Entry withContent(String... names) {
            return withContent(Arrays.stream(names).map(ContentName::parse).toList());
        }

        public Entry withContent(List<ContentName> names) {
            return new Entry(source, destination, destinationBase, Optional.of(names));
        }

        public Entry withBase(int base) {
            return new Entry(source, destination, OptionalInt.of(base), content);
        }
    }

    /** A unit named by content type and label: {@code rpm.advisory:RHSA-2024:0001}. */
    public record ContentName(String type, String label) {

        private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*");

        public ContentName {
            requireNonNull(type, "type");
            requireNonNull(label, "label");
            if (!TYPE.matcher(type).matches() || label.isEmpty()) {
                throw new AirlockException(ErrorCode.INVALID_INPUT, "'" + type + ":" + label
                        + "' is not TYPE:LABEL (such as rpm.package:bash-5.1.8-6.el9.x86_64)");
            }
        }

        /** Splits {@code TYPE:LABEL} at the first colon: type ids have none, labels may. */
        public static ContentName parse(String text) {
            int colon = text.indexOf(':');
            if (colon < 0) {
                throw new AirlockException(ErrorCode.INVALID_INPUT,
                        "'" + text + "' is not TYPE:LABEL (such as rpm.package:bash-5.1.8-6.el9.x86_64)");
            }
            return new ContentName(text.substring(0, colon), text.substring(colon + 1));
        }

        @Override
        public String toString() {
            return type + ":" + label;
        }
    }
}
