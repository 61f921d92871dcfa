package io.airlock.core.copy;

import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.Messages;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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


    private record Problem(int entry, int position, ErrorCode code, String text) {
    }

    /** The longest problem shown, and the longest list of problems in the message. */
    private static final int MAX_PROBLEM = 200;
    private static final int MAX_LIST = 700;

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
        // One line of bounded length however many problems a hostile request has: whole problems
        // while they fit, each cut short, then how many more there are.
        StringBuilder list = new StringBuilder();
        int shown = 0;
        for (Problem problem : sorted) {
            String text = Messages.cut(problem.text(), MAX_PROBLEM);
            if (shown == MAX_LISTED || shown > 0 && list.length() + 2 + text.length() > MAX_LIST) {
                break;
            }
            list.append(shown > 0 ? "; " : "").append(text);
            shown++;
        }
        if (shown < sorted.size()) {
            list.append("; … and ").append(sorted.size() - shown).append(" more");
        }
        String count = sorted.size() == 1 ? "" : sorted.size() + " problems: ";
        throw new AirlockException(code, prefix(origin) + count + list);
    }


    /** {@code copy request FILE: }, or {@code copy request: } for one built in code. */
    static String prefix(String origin) {
        return origin.isEmpty() ? "copy request: " : "copy request " + origin + ": ";
    }
}
