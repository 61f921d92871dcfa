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
        if (path.length() > 4096) {
            return "longer than 4096 characters";
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

    private static String printable(String path) {
        return Messages.cut(path);
    }
}
