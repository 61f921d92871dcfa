package io.airlock.core.store;

import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.Messages;
import java.nio.file.Path;

/**
 * Checks relative paths taken from untrusted places (archives, databases of another installation)
 * by their components, not by string prefixes: no absolute paths, no empty, {@code .} or {@code ..}
 * components, no backslashes or control characters.
 */
public final class RelativePaths {

    /**
     * Longest relative path, in characters: the width of the database columns that hold one
     * ({@code content_artifact.relative_path}, {@code file_content.relative_path}).
     */
    public static final int MAX_LENGTH = 2048;

    /** Longest quotation of untrusted text in a message, in characters. */
    private static final int MAX_QUOTED = 100;

    private RelativePaths() {
    }

    /** Returns the path unchanged if safe; {@code INVALID_INPUT} naming it and {@code where} otherwise. */
    public static String check(String path, String where) {
        String problem = problem(path);
        if (problem != null) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, where + ": unsafe relative path '" + printable(path) + "' (" + problem + ")");
        }
        return path;
    }

    /** Resolves a checked relative path under {@code root}; the result never leaves root. */
    public static Path resolve(Path root, String path, String where) {
        check(path, where);
        Path base = root.toAbsolutePath().normalize();
        Path resolved = base.resolve(path).normalize();
        if (!resolved.startsWith(base) || resolved.equals(base)) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, where + ": relative path '" + printable(path) + "' leaves " + root);
        }
        return resolved;
    }

    private static String problem(String path) {
        if (path == null || path.isEmpty()) {
            return "empty";
        }
        if (path.length() > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " characters";
        }
        if (path.startsWith("/")) {
            return "absolute";
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "control character";
            }
            if (c == '\\') {
                return "backslash";
            }
        }
        for (String component : path.split("/", -1)) {
            if (component.isEmpty()) {
                return "empty component";
            }
            if (component.equals(".") || component.equals("..")) {
                return "'" + component + "' component";
            }
        }
        return null;
    }

    /**
     * Untrusted text (a path, an entry name, a value) as a message quotes it: control characters
     * replaced, and cut after 100 characters with "…" and the full length, so that an error stays
     * one short line however long the text.
     */
    public static String printable(String text) {
        if (text == null) {
            return "null";
        }
        if (text.length() <= MAX_QUOTED) {
            return text.replaceAll("\\p{Cntrl}", "?");
        }
        return text.substring(0, MAX_QUOTED).replaceAll("\\p{Cntrl}", "?") + "… (" + text.length() + " characters)";
    }
}
