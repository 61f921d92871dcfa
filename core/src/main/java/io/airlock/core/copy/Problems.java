package io.airlock.core.copy;

import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What is wrong with a copy request, gathered so that every problem is reported at once: each one
 * names its place ({@code config[1].content[3]}) and the lot goes into one exception.
 */
final class Problems {

    /** Where in an entry a problem is, so that problems read in the request's order. */
    static final int SOURCE = 0;
    static final int DESTINATION = 1;
    static final int BASE = 2;
    static final int ENTRY = 3;
    static final int CONTENT = 4;

    /** Most problems a message lists; the others are counted ("… and 12 more"). */
    static final int MAX_LISTED = 20;

    /** Longest problem text listed; a longer one (a megabyte-long name quoted back) is cut. */
    static final int MAX_TEXT = 300;

    private record Problem(int entry, int position, ErrorCode code, String text) {
    }

    private final String origin;
    private final List<Problem> problems = new ArrayList<>();

    Problems(String origin) {
        this.origin = origin;
    }

    /** A problem of the request as a whole or of one of its top-level keys. */
    void top(ErrorCode code, String text) {
        problems.add(new Problem(-1, 0, code, text));
    }

    /** A problem of entry {@code entry} at {@code position} (one of the constants, or CONTENT + the unit's index). */
    void at(int entry, int position, ErrorCode code, String text) {
        problems.add(new Problem(entry, position, code, text));
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    /**
     * Throws one exception counting every problem and listing the first {@value #MAX_LISTED}, in
     * request order, on one line. Its code is the problems' code when they share one,
     * {@code INVALID_INPUT} otherwise.
     */
    void throwIfAny() {
        if (problems.isEmpty()) {
            return;
        }
        List<Problem> sorted = problems.stream()
                .sorted(Comparator.comparingInt(Problem::entry).thenComparingInt(Problem::position))
                .toList();
        ErrorCode code = sorted.stream().map(Problem::code).distinct().count() == 1 ? sorted.get(0).code() : ErrorCode.INVALID_INPUT;
        String list = sorted.stream().limit(MAX_LISTED).map(p -> shorten(p.text())).collect(Collectors.joining("; "));
        if (sorted.size() > MAX_LISTED) {
            list += "; … and " + (sorted.size() - MAX_LISTED) + " more";
        }
        String count = sorted.size() == 1 ? "" : sorted.size() + " problems: ";
        throw new AirlockException(code, prefix(origin) + count + list);
    }

    private static String shorten(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
    }

    /** {@code copy request FILE: }, or {@code copy request: } for one built in code. */
    static String prefix(String origin) {
        return origin.isEmpty() ? "copy request: " : "copy request " + origin + ": ";
    }
}
