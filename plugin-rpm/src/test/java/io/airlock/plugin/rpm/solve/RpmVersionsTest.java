package io.airlock.plugin.rpm.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlock.plugin.rpm.solve.RpmVersions.Evr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class RpmVersionsTest {

    /** Every case of rpm's tests/rpmvercmp.at (the documented oddities, commented out there, left out). */
    @ParameterizedTest(name = "rpmvercmp({0}, {1}) = {2}")
    @CsvSource(delimiter = '|', value = {
        "1.0 | 1.0 | 0", "1.0 | 2.0 | -1", "2.0 | 1.0 | 1",
        "2.0.1 | 2.0.1 | 0", "2.0 | 2.0.1 | -1", "2.0.1 | 2.0 | 1",
        "2.0.1a | 2.0.1a | 0", "2.0.1a | 2.0.1 | 1", "2.0.1 | 2.0.1a | -1",
        "5.5p1 | 5.5p1 | 0", "5.5p1 | 5.5p2 | -1", "5.5p2 | 5.5p1 | 1",
        "5.5p10 | 5.5p10 | 0", "5.5p1 | 5.5p10 | -1", "5.5p10 | 5.5p1 | 1",
        "10xyz | 10.1xyz | -1", "10.1xyz | 10xyz | 1",
        "xyz10 | xyz10 | 0", "xyz10 | xyz10.1 | -1", "xyz10.1 | xyz10 | 1",
        "xyz.4 | xyz.4 | 0", "xyz.4 | 8 | -1", "8 | xyz.4 | 1", "xyz.4 | 2 | -1", "2 | xyz.4 | 1",
        "5.5p2 | 5.6p1 | -1", "5.6p1 | 5.5p2 | 1",
        "5.6p1 | 6.5p1 | -1", "6.5p1 | 5.6p1 | 1",
        "6.0.rc1 | 6.0 | 1", "6.0 | 6.0.rc1 | -1",
        "10b2 | 10a1 | 1", "10a2 | 10b2 | -1",
        "1.0aa | 1.0aa | 0", "1.0a | 1.0aa | -1", "1.0aa | 1.0a | 1",
        "10.0001 | 10.0001 | 0", "10.0001 | 10.1 | 0", "10.1 | 10.0001 | 0",
        "10.0001 | 10.0039 | -1", "10.0039 | 10.0001 | 1",
        "4.999.9 | 5.0 | -1", "5.0 | 4.999.9 | 1",
        "20101121 | 20101121 | 0", "20101121 | 20101122 | -1", "20101122 | 20101121 | 1",
        "2_0 | 2_0 | 0", "2.0 | 2_0 | 0", "2_0 | 2.0 | 0",
        "a | a | 0", "a+ | a+ | 0", "a+ | a_ | 0", "a_ | a+ | 0",
        "+a | +a | 0", "+a | _a | 0", "_a | +a | 0",
        "+_ | +_ | 0", "_+ | +_ | 0", "_+ | _+ | 0", "+ | _ | 0", "_ | + | 0",
        "1.0~rc1 | 1.0~rc1 | 0", "1.0~rc1 | 1.0 | -1", "1.0 | 1.0~rc1 | 1",
        "1.0~rc1 | 1.0~rc2 | -1", "1.0~rc2 | 1.0~rc1 | 1",
        "1.0~rc1~git123 | 1.0~rc1~git123 | 0", "1.0~rc1~git123 | 1.0~rc1 | -1", "1.0~rc1 | 1.0~rc1~git123 | 1",
        "1.0^ | 1.0^ | 0", "1.0^ | 1.0 | 1", "1.0 | 1.0^ | -1",
        "1.0^git1 | 1.0^git1 | 0", "1.0^git1 | 1.0 | 1", "1.0 | 1.0^git1 | -1",
        "1.0^git1 | 1.0^git2 | -1", "1.0^git2 | 1.0^git1 | 1",
        "1.0^git1 | 1.01 | -1", "1.01 | 1.0^git1 | 1",
        "1.0^20160101 | 1.0^20160101 | 0", "1.0^20160101 | 1.0.1 | -1", "1.0.1 | 1.0^20160101 | 1",
        "1.0^20160101^git1 | 1.0^20160101^git1 | 0",
        "1.0^20160102 | 1.0^20160101^git1 | 1", "1.0^20160101^git1 | 1.0^20160102 | -1",
        "1.0~rc1^git1 | 1.0~rc1^git1 | 0", "1.0~rc1^git1 | 1.0~rc1 | 1", "1.0~rc1 | 1.0~rc1^git1 | -1",
        "1.0^git1~pre | 1.0^git1~pre | 0", "1.0^git1 | 1.0^git1~pre | 1", "1.0^git1~pre | 1.0^git1 | -1",
    })
    void rpmvercmpAgreesWithRpmsTestSuite(String a, String b, int expected) {
        assertThat(RpmVersions.rpmvercmp(a, b)).isEqualTo(expected);
    }

    @Test
    void numericSegmentsLongerThanALongCompareByLength() {
        assertThat(RpmVersions.rpmvercmp("1.123456789012345678901234567890", "1.99999999999999999999")).isEqualTo(1);
    }

    @Test
    void parseReadsEpochVersionAndRelease() {
        assertThat(Evr.parse("2:1.0.3-4.el9")).isEqualTo(new Evr(2, "1.0.3", "4.el9"));
    }

    @Test
    void parseLeavesEpochZeroAndReleaseNullWhenAbsent() {
        assertThat(Evr.parse("1.0")).isEqualTo(new Evr(0, "1.0", null));
    }

    @Test
    void parseSplitsTheReleaseAtTheLastHyphen() {
        assertThat(Evr.parse("1.0-beta-3")).isEqualTo(new Evr(0, "1.0-beta", "3"));
    }

    @Test
    void parseTakesOnlyLeadingDigitsAsAnEpoch() {
        assertThat(Evr.parse("a:1.0")).isEqualTo(new Evr(0, "a:1.0", null));
    }

    @Test
    void evrOfRefusesANonNumericEpoch() {
        assertThatThrownBy(() -> Evr.of("x", "1.0", "1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'x'");
    }

    @Test
    void compareGivesTheEpochPrecedence() {
        assertThat(RpmVersions.compare(Evr.parse("1:1.0-1"), Evr.parse("9.9-9"))).isEqualTo(1);
    }

    @Test
    void compareFallsBackToTheRelease() {
        assertThat(RpmVersions.compare(Evr.parse("1.0-10"), Evr.parse("1.0-9"))).isEqualTo(1);
    }

    @Test
    void compareSortsAMissingReleaseFirst() {
        assertThat(RpmVersions.compare(Evr.parse("1.0"), Evr.parse("1.0-1"))).isEqualTo(-1);
    }

    @Test
    void evrPrintsTheEpochOnlyWhenNotZero() {
        assertThat(Evr.parse("0:1.0-1")).hasToString("1.0-1");
    }
}
