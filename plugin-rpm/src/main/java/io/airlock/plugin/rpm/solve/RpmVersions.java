package io.airlock.plugin.rpm.solve;

import static java.util.Objects.requireNonNull;

import io.airlock.plugin.rpm.RpmDependency;

/**
 * RPM version arithmetic: rpm's {@code rpmvercmp}, epoch:version-release ordering, and the range
 * overlap rpm uses to decide whether a provide satisfies a requirement ({@code rpmdsCompare}).
 */
public final class RpmVersions {

    // rpm's RPMSENSE_* bits; kept so the overlap rules read like rpm's.
    static final int LESS = 2;
    static final int GREATER = 4;
    static final int EQUAL = 8;
    static final int SENSE = LESS | GREATER | EQUAL;

    private RpmVersions() {
    }

    /**
     * An epoch, version and release. A missing epoch is 0 (rpm compares it so, see
     * {@link #compare}); a missing or empty release is null.
     */
    public record Evr(long epoch, String version, String release) {

        public Evr {
            requireNonNull(version, "version");
            if (epoch < 0) {
                throw new IllegalArgumentException("negative epoch " + epoch);
            }
            if (release != null && release.isEmpty()) {
                release = null;
            }
        }

        /**
         * Parses {@code [E:]V[-R]} as rpm does: the epoch is the leading digits when a colon follows
         * them, the release is what follows the last hyphen.
         */
        public static Evr parse(String evr) {
            requireNonNull(evr, "evr");
            int digits = 0;
            while (digits < evr.length() && isDigit(evr.charAt(digits))) {
                digits++;
            }
            // rpm looks for the release hyphen only after the epoch digits.
            int hyphen = evr.lastIndexOf('-');
            if (hyphen < digits) {
                hyphen = -1;
            }
            long epoch = 0;
            int versionStart = 0;
            if (digits < evr.length() && evr.charAt(digits) == ':') {
                epoch = digits == 0 ? 0 : parseEpoch(evr.substring(0, digits));
                versionStart = digits + 1;
            }
            String version = hyphen < 0 ? evr.substring(versionStart) : evr.substring(versionStart, hyphen);
            String release = hyphen < 0 ? null : evr.substring(hyphen + 1);
            return new Evr(epoch, version, release);
        }

        /** From separate fields as metadata gives them; a null or empty epoch is 0. */
        public static Evr of(String epoch, String version, String release) {
            return new Evr(epoch == null || epoch.isEmpty() ? 0 : parseEpoch(epoch), version, release);
        }

        /** {@code [E:]V[-R]}, the epoch shown only when it is not 0. */
        @Override
        public String toString() {
            return (epoch == 0 ? "" : epoch + ":") + version + (release == null ? "" : "-" + release);
        }
    }

    /**
     * rpm's segment-wise comparison of two version (or release) strings: 1 if {@code a} is newer,
     * 0 if equal, -1 if older. Digit runs compare as numbers and beat letter runs; other characters
     * only separate segments; {@code ~} sorts before anything, even the end of the string;
     * {@code ^} sorts after the end of the string but before anything else.
     */
    public static int rpmvercmp(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        int i = 0;
        int j = 0;
        int n = a.length();
        int m = b.length();
        while (i < n || j < m) {
            while (i < n && isSeparator(a.charAt(i))) {
                i++;
            }
            while (j < m && isSeparator(b.charAt(j))) {
                j++;
            }
            char ca = i < n ? a.charAt(i) : 0;
            char cb = j < m ? b.charAt(j) : 0;
            if (ca == '~' || cb == '~') {
                if (ca != '~') {
                    return 1;
                }
                if (cb != '~') {
                    return -1;
                }
                i++;
                j++;
                continue;
            }
            if (ca == '^' || cb == '^') {
                if (i == n) {
                    return -1;
                }
                if (j == m) {
                    return 1;
                }
                if (ca != '^') {
                    return 1;
                }
                if (cb != '^') {
                    return -1;
                }
                i++;
                j++;
                continue;
            }
            if (i == n || j == m) {
                break;
            }
            int startA = i;
            int startB = j;
            boolean numeric = isDigit(ca);
            if (numeric) {
                while (i < n && isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < m && isDigit(b.charAt(j))) {
                    j++;
                }
            } else {
                while (i < n && isAlpha(a.charAt(i))) {
                    i++;
                }
                while (j < m && isAlpha(b.charAt(j))) {
                    j++;
                }
            }
            if (startB == j) {
                // Segments of different kinds: a number is newer than letters.
                return numeric ? 1 : -1;
            }
            if (numeric) {
                while (startA < i && a.charAt(startA) == '0') {
                    startA++;
                }
                while (startB < j && b.charAt(startB) == '0') {
                    startB++;
                }
                int lengths = Integer.compare(i - startA, j - startB);
                if (lengths != 0) {
                    return lengths;
                }
            }
            int segment = compareRange(a, startA, i, b, startB, j);
            if (segment != 0) {
                return segment;
            }
        }
        if (i == n && j == m) {
            return 0;
        }
        return i == n ? -1 : 1;
    }

    /**
     * Orders two EVRs: epoch, then version, then release with {@link #rpmvercmp}; a missing release
     * sorts before any release (rpm's {@code rpmverCmp}). Returns -1, 0 or 1.
     */
    public static int compare(Evr a, Evr b) {
        int c = Long.compare(a.epoch(), b.epoch());
        if (c != 0) {
            return c < 0 ? -1 : 1;
        }
        c = rpmvercmp(a.version(), b.version());
        if (c != 0) {
            return c;
        }
        if (a.release() == null || b.release() == null) {
            return a.release() == null ? (b.release() == null ? 0 : -1) : 1;
        }
        return rpmvercmp(a.release(), b.release());
    }

    /**
     * Whether two dependency entries overlap as rpm decides it ({@code rpmdsCompare}): same name,
     * and either side unversioned or their version ranges intersect. That is how a provide
     * satisfies a requirement. Releases are compared only when both sides have one; a missing epoch
     * counts as 0.
     */
    public static boolean overlap(RpmDependency a, RpmDependency b) {
        return a.name().equals(b.name()) && overlap(sense(a.flags()), evr(a), sense(b.flags()), evr(b));
    }

    /**
     * The range rule of rpm's {@code rpmverOverlap}. A null EVR or no sense bits means "any
     * version". When exactly one side has a release, it matches if the release-less side includes
     * equality (so {@code = 1.0} accepts {@code 1.0-3}); otherwise the releases are ignored. rpm
     * treats a missing epoch exactly as epoch 0 here (an epoch on one side only wins when above 0),
     * so {@link Evr} stores it as 0.
     */
    static boolean overlap(int senseA, Evr a, int senseB, Evr b) {
        if ((senseA & SENSE) == 0 || (senseB & SENSE) == 0 || a == null || b == null) {
            return true;
        }
        int sense = Long.compare(a.epoch(), b.epoch());
        if (sense == 0) {
            sense = rpmvercmp(a.version(), b.version());
            if (sense == 0) {
                if (a.release() != null && b.release() != null) {
                    sense = rpmvercmp(a.release(), b.release());
                } else if ((a.release() != null && (senseB & EQUAL) != 0)
                        || (b.release() != null && (senseA & EQUAL) != 0)) {
                    return true;
                }
            }
        }
        if (sense < 0) {
            return (senseA & GREATER) != 0 || (senseB & LESS) != 0;
        }
        if (sense > 0) {
            return (senseA & LESS) != 0 || (senseB & GREATER) != 0;
        }
        return (senseA & senseB & SENSE) != 0;
    }

    /** The sense bits of a primary.xml flag; null (and anything unknown) is "any version". */
    static int sense(String flags) {
        if (flags == null) {
            return 0;
        }
        return switch (flags) {
            case "EQ" -> EQUAL;
            case "LT" -> LESS;
            case "LE" -> LESS | EQUAL;
            case "GT" -> GREATER;
            case "GE" -> GREATER | EQUAL;
            default -> 0;
        };
    }

    /** The sense bits of a rich-dependency operator ({@code <=}, {@code =>}, {@code ==} …), 0 if none. */
    static int senseOfOperator(String op) {
        return switch (op) {
            case "<=", "=<" -> LESS | EQUAL;
            case "<" -> LESS;
            case "=", "==" -> EQUAL;
            case ">=", "=>" -> GREATER | EQUAL;
            case ">" -> GREATER;
            default -> 0;
        };
    }

    /** The EVR of a dependency entry, null when it has no version. */
    static Evr evr(RpmDependency d) {
        return d.version() == null || d.version().isEmpty() ? null : Evr.of(d.epoch(), d.version(), d.release());
    }

    private static long parseEpoch(String digits) {
        try {
            long epoch = Long.parseLong(digits);
            if (epoch >= 0) {
                return epoch;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("epoch is not a number: '" + digits + "'");
    }

    private static int compareRange(String a, int fromA, int toA, String b, int fromB, int toB) {
        int length = Math.min(toA - fromA, toB - fromB);
        for (int k = 0; k < length; k++) {
            int c = Character.compare(a.charAt(fromA + k), b.charAt(fromB + k));
            if (c != 0) {
                return c < 0 ? -1 : 1;
            }
        }
        return Integer.compare(toA - fromA, toB - fromB);
    }

    // rpm's risdigit/risalpha are ASCII-only; any other character is a separator.
    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isSeparator(char c) {
        return !isDigit(c) && !isAlpha(c) && c != '~' && c != '^';
    }
}
