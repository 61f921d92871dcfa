package io.airlock.plugin.rpm.solve;

import io.airlock.plugin.rpm.solve.RpmVersions.Evr;
import java.util.ArrayList;
import java.util.List;

/**
 * Rich (boolean) dependencies, rpm 4.13+: {@code (A and B)}, {@code or}, {@code if}, {@code if …
 * else}, {@code unless}, {@code unless … else}, {@code with}, {@code without}, nested in
 * parentheses, operands being capabilities with an optional version ({@code foo >= 1.2}). The
 * grammar is rpm's ({@code rpmrichParse}): only {@code and}, {@code or} and {@code with} chain
 * without parentheses, {@code else} follows {@code if}/{@code unless}, and the operands of
 * {@code with}/{@code without} may only be capabilities or {@code with}/{@code without}/{@code or}
 * terms (each must name one package).
 */
final class RichDependency {

    private RichDependency() {
    }

    sealed interface Node permits Capability, And, Or, With, Without, If, Unless {
    }

    /** One capability, versioned when {@code sense} is not 0. */
    record Capability(String name, int sense, Evr evr) implements Node {
        @Override
        public String toString() {
            if (sense == 0) {
                return name;
            }
            String op = switch (sense) {
                case RpmVersions.LESS -> "<";
                case RpmVersions.LESS | RpmVersions.EQUAL -> "<=";
                case RpmVersions.GREATER -> ">";
                case RpmVersions.GREATER | RpmVersions.EQUAL -> ">=";
                default -> "=";
            };
            return name + " " + op + " " + evr;
        }
    }

    record And(List<Node> operands) implements Node {
    }

    record Or(List<Node> operands) implements Node {
    }

    /** One package matching every operand. */
    record With(List<Node> operands) implements Node {
    }

    /** One package matching {@code left} and not {@code right}. */
    record Without(Node left, Node right) implements Node {
    }

    /** {@code (then if condition [else otherwise])}; {@code otherwise} may be null. */
    record If(Node then, Node condition, Node otherwise) implements Node {
    }

    /** {@code (then unless condition [else otherwise])}; {@code otherwise} may be null. */
    record Unless(Node then, Node condition, Node otherwise) implements Node {
    }

    /**
     * Parses a rich dependency.
     *
     * @throws IllegalArgumentException naming the text, the 0-based offset and what is wrong
     */
    static Node parse(String text) {
        Parser parser = new Parser(text);
        Node node = parser.group();
        parser.skipWhite();
        if (parser.pos < text.length()) {
            throw parser.error("unexpected text after the closing ')'");
        }
        return node;
    }

    /** Whether the term's outcome depends on what is present (so it must be re-checked as the copy grows). */
    static boolean isConditional(Node node) {
        if (node instanceof If || node instanceof Unless) {
            return true;
        }
        if (node instanceof And a) {
            return a.operands().stream().anyMatch(RichDependency::isConditional);
        }
        if (node instanceof Or o) {
            return o.operands().stream().anyMatch(RichDependency::isConditional);
        }
        return false; // a capability, or with/without: about one package, never about what is present
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        /** {@code '(' operand (op operand)* ')'} starting at {@code pos}. */
        Node group() {
            int open = pos;
            if (pos >= text.length() || text.charAt(pos) != '(') {
                throw error("expected '('");
            }
            pos++;
            List<Node> operands = new ArrayList<>();
            List<String> ops = new ArrayList<>();
            for (;;) {
                skipWhite();
                if (pos >= text.length()) {
                    throw error("missing ')' for the '(' at offset " + open);
                }
                if (text.charAt(pos) == ')') {
                    throw error(ops.isEmpty() ? "empty parentheses" : "missing operand after '" + ops.get(ops.size() - 1) + "'");
                }
                operands.add(text.charAt(pos) == '(' ? group() : capability());
                skipWhite();
                if (pos >= text.length()) {
                    throw error("missing ')' for the '(' at offset " + open);
                }
                if (text.charAt(pos) == ')') {
                    pos++;
                    break;
                }
                int opStart = pos;
                String op = token(false);
                checkOperator(op, ops, opStart);
                ops.add(op);
            }
            return build(operands, ops, open);
        }

        private void checkOperator(String op, List<String> previous, int at) {
            if (!List.of("and", "or", "if", "unless", "else", "with", "without").contains(op)) {
                throw error(at, "unknown operator '" + op + "'");
            }
            if (previous.isEmpty()) {
                if (op.equals("else")) {
                    throw error(at, "'else' without 'if' or 'unless'");
                }
                return;
            }
            String last = previous.get(previous.size() - 1);
            if (op.equals("else")) {
                if (previous.size() == 1 && (last.equals("if") || last.equals("unless"))) {
                    return;
                }
                throw error(at, "'else' must follow a single 'if' or 'unless'");
            }
            if (!op.equals(last)) {
                throw error(at, "cannot mix '" + last + "' and '" + op + "' without parentheses");
            }
            if (!(op.equals("and") || op.equals("or") || op.equals("with"))) {
                throw error(at, "only 'and', 'or' and 'with' can be chained; use parentheses");
            }
        }

        private Node build(List<Node> operands, List<String> ops, int open) {
            if (ops.isEmpty()) {
                // rpm accepts "(foo)" as a plain capability.
                return operands.get(0);
            }
            Node otherwise = ops.size() == 2 && ops.get(1).equals("else") ? operands.get(2) : null;
            Node node = switch (ops.get(0)) {
                case "and" -> new And(List.copyOf(operands));
                case "or" -> new Or(List.copyOf(operands));
                case "with" -> new With(List.copyOf(operands));
                case "without" -> new Without(operands.get(0), operands.get(1));
                case "if" -> new If(operands.get(0), operands.get(1), otherwise);
                case "unless" -> new Unless(operands.get(0), operands.get(1), otherwise);
                default -> throw new IllegalStateException(ops.get(0));
            };
            if (node instanceof With || node instanceof Without) {
                for (Node operand : operands) {
                    if (!namesOnePackage(operand)) {
                        throw error(open, "the operands of '" + ops.get(0)
                                + "' may only be capabilities or 'with', 'without' and 'or' terms");
                    }
                }
            }
            return node;
        }

        private static boolean namesOnePackage(Node node) {
            if (node instanceof Or o) {
                return o.operands().stream().allMatch(Parser::namesOnePackage);
            }
            return node instanceof Capability || node instanceof With || node instanceof Without;
        }

        /** {@code name [op version]}. */
        private Node capability() {
            int start = pos;
            String name = token(true);
            if (name.isEmpty()) {
                throw error("expected a capability name");
            }
            skipWhite();
            int save = pos;
            String maybeOp = token(true);
            int sense = RpmVersions.senseOfOperator(maybeOp);
            if (sense == 0) {
                // not a comparison: it is the next rich operator, read by the caller
                pos = save;
                return new Capability(name, 0, null);
            }
            skipWhite();
            int versionAt = pos;
            String version = token(true);
            if (version.isEmpty()) {
                throw error(versionAt, "missing version after '" + maybeOp + "' for '" + name + "'");
            }
            try {
                return new Capability(name, sense, Evr.parse(version));
            } catch (IllegalArgumentException e) {
                throw error(start, "bad version '" + version + "': " + e.getMessage());
            }
        }

        /**
         * The next word: up to white space, a comma or an unbalanced ')'. Capability names keep
         * balanced parentheses ({@code libc.so.6()(64bit)}, {@code perl(Foo::Bar)}).
         */
        private String token(boolean balanced) {
            int start = pos;
            int depth = 0;
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (Character.isWhitespace(c) || c == ',') {
                    break;
                }
                if (c == ')') {
                    if (depth == 0) {
                        break;
                    }
                    depth--;
                } else if (c == '(' && balanced) {
                    depth++;
                }
                pos++;
            }
            return text.substring(start, pos);
        }

        // rpm skips commas with white space between rich-dependency parts.
        void skipWhite() {
            while (pos < text.length() && (Character.isWhitespace(text.charAt(pos)) || text.charAt(pos) == ',')) {
                pos++;
            }
        }

        IllegalArgumentException error(String what) {
            return error(pos, what);
        }

        IllegalArgumentException error(int at, String what) {
            return new IllegalArgumentException("malformed rich dependency '" + text + "' at offset " + at + ": " + what);
        }
    }
}
