package io.airlock.plugin.rpm.solve;

import static io.airlock.plugin.rpm.solve.Fixtures.dep;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class RangeMatchTest {

    @ParameterizedTest(name = "require [{0}] vs provide [{1}] -> {2}")
    @CsvSource(delimiter = '|', value = {
        // unversioned on either side matches any version
        "foo | foo = 1.0-1 | true",
        "foo >= 2.0 | foo | true",
        // plain ranges
        "foo >= 1.0 | foo = 1.0-1 | true",
        "foo >= 1.1 | foo = 1.0-1 | false",
        "foo > 1.0-1 | foo = 1.0-2 | true",
        "foo < 2.0 | foo = 1.5-1 | true",
        "foo <= 1.0-1 | foo = 1.0-2 | false",
        "foo = 1.0-1 | foo = 1.0-1 | true",
        "foo = 1.0-1 | foo = 1.0-2 | false",
        // two ranges overlap
        "foo >= 1.0 | foo >= 2.0 | true",
        "foo < 1.0 | foo > 2.0 | false",
        "foo <= 1.0 | foo >= 1.0 | true",
        "foo < 1.0 | foo >= 1.0 | false",
        // releases are compared only when both sides have one
        "foo = 1.0 | foo = 1.0-7 | true",
        "foo = 1.0-7 | foo = 1.0 | true",
        "foo >= 1.0 | foo = 1.0-7 | true",
        "foo > 1.0 | foo = 1.0-7 | false",
        "foo < 1.0 | foo = 1.0-7 | false",
        "foo <= 1.0 | foo = 1.0-7 | true",
        // a missing epoch is epoch 0
        "foo = 1.0 | foo = 0:1.0-1 | true",
        "foo = 0:1.0 | foo = 1.0-1 | true",
        "foo = 1.0 | foo = 1:1.0-1 | false",
        "foo >= 1.0 | foo = 1:0.5-1 | true",
        "foo >= 1:1.0 | foo = 5.0-1 | false",
        "foo < 2:1.0 | foo = 1:9.0-1 | true",
        // tilde and caret in ranges
        "foo >= 1.0 | foo = 1.0~rc1-1 | false",
        "foo < 1.0 | foo = 1.0~rc1-1 | true",
        "foo > 1.0 | foo = 1.0^git1-1 | true",
    })
    void rangesOverlapAsRpmDecides(String require, String provide, boolean expected) {
        assertThat(RpmVersions.overlap(dep(require), dep(provide))).isEqualTo(expected);
    }

    @Test
    void differentNamesNeverOverlap() {
        assertThat(RpmVersions.overlap(dep("foo"), dep("bar"))).isFalse();
    }

    @Test
    void overlapIsSymmetric() {
        assertThat(RpmVersions.overlap(dep("foo = 1.0-7"), dep("foo >= 1.0"))).isTrue();
    }
}
