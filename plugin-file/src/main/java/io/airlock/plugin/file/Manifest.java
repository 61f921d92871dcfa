package io.airlock.plugin.file;

import io.airlock.core.store.RelativePaths;
import io.airlock.core.store.Sha256;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.Messages;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads a {@value FileRepositories#MANIFEST}: one {@code relative_path,sha256,size} record per file,
 * CSV (a field holding a comma, quote or line break is quoted, quotes doubled), as
 * {@link FileRepositories#publish} writes it. Each record is checked (a relative path, a lower-case
 * hex SHA-256, a size) and refused with its line number otherwise; records are bounded in length.
 */
final class Manifest {

    /** Longest record, in characters. */
    static final int MAX_RECORD_CHARS = RelativePaths.MAX_LENGTH + 200;

    /** One file of the manifest. */
    record Entry(String relativePath, String sha256, long size) {
    }

    private Manifest() {
    }

    /** Calls {@code entries} with each record of {@code in}, in order; {@code name} names the manifest in messages. */
    static long read(Reader in, String name, Consumer<Entry> entries) throws IOException {
        long count = 0;
        int line = 1;
        while (true) {
            int start = line;
            List<String> fields = new ArrayList<>(3);
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            boolean any = false;
            int length = 0;
            int c;
            while (true) {
                c = in.read();
                if (c < 0) {
                    if (quoted) {
                        throw new AirlockException(ErrorCode.INVALID_INPUT, name + " line " + start + ": a quoted field is not closed");
                    }
                    break;
                }
                any = true;
                if (++length > MAX_RECORD_CHARS) {
                    throw new AirlockException(ErrorCode.INVALID_INPUT, name + " line " + start + ": longer than "
                            + MAX_RECORD_CHARS + " characters");
                }
                if (quoted) {
                    if (c == '"') {
                        in.mark(1);
                        int next = in.read();
                        if (next == '"') {
                            field.append('"');
                        } else {
                            quoted = false;
                            if (next >= 0) {
                                in.reset();
                            }
                        }
                    } else {
                        if (c == '\n') {
                            line++;
                        }
                        field.append((char) c);
                    }
                } else if (c == '"' && field.length() == 0) {
                    quoted = true;
                } else if (c == ',') {
                    fields.add(field.toString());
                    field.setLength(0);
                } else if (c == '\n') {
                    line++;
                    break;
                } else if (c != '\r') {
                    field.append((char) c);
                }
            }
            if (!any) {
                return count;
            }
            fields.add(field.toString());
            if (fields.size() == 1 && fields.get(0).isEmpty()) {
                if (c < 0) {
                    return count;
                }
                continue; // a blank line
            }
            entries.accept(entry(fields, name + " line " + start));
            count++;
            if (c < 0) {
                return count;
            }
        }
    }

    private static Entry entry(List<String> fields, String where) {
        if (fields.size() != 3) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, where + ": expected relative_path,sha256,size, found "
                    + fields.size() + " fields");
        }
        String path = RelativePaths.check(fields.get(0), where);
        String sha256 = fields.get(1).strip();
        if (!Sha256.isHex(sha256)) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, where + ": '" + Messages.cut(sha256) + "' is not a lower-case hex sha256");
        }
        long size;
        try {
            size = Long.parseLong(fields.get(2).strip());
        } catch (NumberFormatException e) {
            size = -1;
        }
        if (size < 0) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, where + ": '" + Messages.cut(fields.get(2)) + "' is not a size in bytes");
        }
        return new Entry(path, sha256, size);
    }
}
