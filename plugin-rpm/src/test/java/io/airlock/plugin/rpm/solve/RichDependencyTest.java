package io.airlock.plugin.rpm.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlock.plugin.rpm.solve.RichDependency.And;
import io.airlock.plugin.rpm.solve.RichDependency.Capability;
import io.airlock.plugin.rpm.solve.RichDependency.If;
import io.airlock.plugin.rpm.solve.RichDependency.Node;
import io.airlock.plugin.rpm.solve.RichDependency.Or;
import io.airlock.plugin.rpm.solve.RichDependency.Unless;
import io.airlock.plugin.rpm.solve.RichDependency.With;
import io.airlock.plugin.rpm.solve.RichDependency.Without;
import io.airlock.plugin.rpm.solve.RpmVersions.Evr;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class RichDependencyTest {

    private static final Capability A = cap("a");
    private static final Capability B = cap("b");
    private static final Capability C = cap("c");

    @Test
    void andChains() {
        assertThat(RichDependency.parse("(a and b and c)")).isEqualTo(new And(List.of(A, B, C)));
    }

    @Test
    void orChains() {
        assertThat(RichDependency.parse("(a or b or c)")).isEqualTo(new Or(List.of(A, B, C)));
    }

    @Test
    void ifHasAThenAndACondition() {
        assertThat(RichDependency.parse("(a if b)")).isEqualTo(new If(A, B, null));
    }

    @Test
    void ifElseHasAnOtherwise() {
        assertThat(RichDependency.parse("(a if b else c)")).isEqualTo(new If(A, B, C));
    }

    @Test
    void unlessHasAThenAndACondition() {
        assertThat(RichDependency.parse("(a unless b)")).isEqualTo(new Unless(A, B, null));
    }

    @Test
    void unlessElseHasAnOtherwise() {
        assertThat(RichDependency.parse("(a unless b else c)")).isEqualTo(new Unless(A, B, C));
    }

    @Test
    void withChains() {
        assertThat(RichDependency.parse("(a with b with c)")).isEqualTo(new With(List.of(A, B, C)));
    }

    @Test
    void withoutHasTwoOperands() {
        assertThat(RichDependency.parse("(a without b)")).isEqualTo(new Without(A, B));
    }

    @Test
    void operandsMayBeVersioned() {
        assertThat(RichDependency.parse("(foo >= 1:1.2-3 or bar)")).isEqualTo(new Or(List.of(
                new Capability("foo", RpmVersions.GREATER | RpmVersions.EQUAL, new Evr(1, "1.2", "3")), cap("bar"))));
    }

    @Test
    void termsNest() {
        assertThat(RichDependency.parse("((a or b) and (c if (a with b)))")).isEqualTo(new And(List.of(
                new Or(List.of(A, B)), new If(C, new With(List.of(A, B)), null))));
    }

    @Test
    void capabilityNamesKeepBalancedParentheses() {
        assertThat(RichDependency.parse("(libc.so.6()(64bit) or perl(Foo::Bar) >= 2)")).isEqualTo(new Or(List.of(
                cap("libc.so.6()(64bit)"), new Capability("perl(Foo::Bar)", RpmVersions.GREATER | RpmVersions.EQUAL,
                        new Evr(0, "2", null)))));
    }

    @Test
    void aParenthesizedCapabilityIsThatCapability() {
        assertThat(RichDependency.parse("(a)")).isEqualTo(A);
    }

    @Test
    void withAndWithoutAreNotConditional() {
        Node node = RichDependency.parse("((a with b) or (a without c))");
        assertThat(RichDependency.isConditional(node)).isFalse();
    }

    @Test
    void ifNestedInAndIsConditional() {
        assertThat(RichDependency.isConditional(RichDependency.parse("(a and (b if c))"))).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "(a and b                | at offset 8: missing ')' for the '(' at offset 0",
        "(a and)                 | at offset 6: missing operand after 'and'",
        "()                      | at offset 1: empty parentheses",
        "(a xor b)               | at offset 3: unknown operator 'xor'",
        "(a and b or c)          | at offset 9: cannot mix 'and' and 'or' without parentheses",
        "(a if b if c)           | at offset 8: only 'and', 'or' and 'with' can be chained",
        "(a else b)              | at offset 3: 'else' without 'if' or 'unless'",
        "(a >= )                 | at offset 6: missing version after '>=' for 'a'",
        "(a and b) c             | at offset 10: unexpected text after the closing ')'",
        "a and b                 | at offset 0: expected '('",
        "((a and b) with c)      | at offset 0: the operands of 'with' may only be",
    })
    void malformedTextIsRefusedWithOffsetAndReason(String text, String message) {
        assertThatThrownBy(() -> RichDependency.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining(message);
    }

    private static Capability cap(String name) {
        return new Capability(name, 0, null);
    }
}
