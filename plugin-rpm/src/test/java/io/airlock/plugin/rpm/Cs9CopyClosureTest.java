package io.airlock.plugin.rpm;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.core.Airlock;
import io.airlock.core.copy.CopyEngine;
import io.airlock.core.copy.CopyRequest;
import io.airlock.core.copy.CopyRequest.Entry;
import io.airlock.core.copy.CopyResult;
import io.airlock.core.repository.VersionRef;
import io.airlock.plugin.rpm.solve.RpmVersions;
import io.airlock.spi.ProgressListener;
import io.airlock.spi.copy.CopyPlan.Unresolved;
import io.airlock.testing.SharedData;
import io.airlock.testing.TestDatabase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Copies a seeded random sample of real AppStream packages with dependency solving and checks the
 * result is closed: every requirement of every copied package is met by the destinations, or is
 * listed as unresolved and then no source package meets it either. The check is written here,
 * independently of the solver (it shares only rpm's version comparison).
 */
@Tag("persistence")
final class Cs9CopyClosureTest {

    private static final int SAMPLE = 60;

    @Test
    void aRandomSampleCopiesAsAClosedSet() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            for (String repo : List.of("cs9-baseos", "cs9-appstream")) {
                airlock.repositories().create(repo, RpmPlugin.NAME, null);
                new RpmRepositories(airlock).sync(repo, SharedData.require(repo), ProgressListener.NONE);
                airlock.repositories().create(repo + "-dest", RpmPlugin.NAME, null);
            }
            List<String> labels = new ArrayList<>(packages(airlock, "cs9-appstream").stream()
                    .filter(p -> !p.arch().equals("src")).map(RpmPackage::label).sorted().toList());
            Collections.shuffle(labels, new Random(20261123));
            List<String> sample = labels.subList(0, SAMPLE).stream().map(l -> RpmPackage.TYPE + ":" + l).toList();

            CopyResult result = new CopyEngine(airlock).copy(CopyRequest.of(List.of(
                    Entry.whole("cs9-baseos", "cs9-baseos-dest").withContent(),
                    Entry.whole("cs9-appstream", "cs9-appstream-dest").withContent(sample.toArray(String[]::new)))));

            List<RpmPackage> copied = new ArrayList<>(packages(airlock, "cs9-baseos-dest"));
            copied.addAll(packages(airlock, "cs9-appstream-dest"));
            List<RpmPackage> sources = new ArrayList<>(packages(airlock, "cs9-baseos"));
            sources.addAll(packages(airlock, "cs9-appstream"));
            Provides destinations = new Provides(copied);
            Provides everything = new Provides(sources);
            Set<Unresolved> listed = new HashSet<>(result.unresolved());
            List<String> unmet = new ArrayList<>();
            int checked = 0;
            for (RpmPackage p : copied) {
                for (RpmDependency requirement : p.requires()) {
                    if (requirement.name().startsWith("rpmlib(")) {
                        continue;
                    }
                    checked++;
                    if (destinations.satisfies(requirement.name(), requirement)) {
                        continue;
                    }
                    Unresolved entry = new Unresolved(RpmPackage.TYPE + ":" + p.label(), requirement.toString());
                    if (!listed.contains(entry) || everything.satisfies(requirement.name(), requirement)) {
                        unmet.add(entry + (listed.contains(entry) ? " (listed, but a source satisfies it)" : " (not listed)"));
                    }
                }
            }
            assertThat(unmet).isEmpty();
            assertThat(copied.stream().map(RpmPackage::label).toList())
                    .containsAll(sample.stream().map(s -> s.substring(RpmPackage.TYPE.length() + 1)).toList());
            assertThat(copied.size()).isGreaterThan(SAMPLE);
            assertThat(checked).isGreaterThan(copied.size());
            assertThat(result.destinations()).allSatisfy(d -> assertThat(d.version()).contains(1));
        }
    }

    private static List<RpmPackage> packages(Airlock airlock, String repository) {
        List<RpmPackage> packages = new ArrayList<>();
        airlock.repositories().scanContent(airlock.repositories().version(VersionRef.latest(repository)),
                Optional.of(RpmPackage.TYPE), 1000, batch -> batch.forEach(u -> packages.add((RpmPackage) u)));
        return packages;
    }

    /** What a set of packages provides: their provides, their own name = EVR, their files. */
    private static final class Provides {
        private final Map<String, List<RpmDependency>> byName = new HashMap<>();
        private final Set<String> files = new HashSet<>();

        Provides(List<RpmPackage> packages) {
            for (RpmPackage p : packages) {
                for (RpmDependency provide : p.provides()) {
                    byName.computeIfAbsent(provide.name(), n -> new ArrayList<>()).add(provide);
                }
                byName.computeIfAbsent(p.name(), n -> new ArrayList<>())
                        .add(new RpmDependency(p.name(), "EQ", p.epoch(), p.version(), p.release(), false));
                p.files().forEach(f -> files.add(f.path()));
            }
        }

        /** Whether a requirement (plain, file or rich) is met. */
        boolean satisfies(String text, RpmDependency plain) {
            if (text.startsWith("(")) {
                return new Rich(text).evaluate();
            }
            if (text.startsWith("/") && files.contains(text)) {
                return true;
            }
            for (RpmDependency provide : byName.getOrDefault(plain.name(), List.of())) {
                if (RpmVersions.overlap(provide, plain)) {
                    return true;
                }
            }
            return false;
        }

        /** A small evaluator of rpm's boolean dependencies, written for this check. */
        private final class Rich {
            private final String text;
            private int at;

            Rich(String text) {
                this.text = text;
            }

            boolean evaluate() {
                return group();
            }

            private boolean group() {
                expect('(');
                boolean left = operand();
                String op = word();
                boolean result;
                switch (op) {
                    case ")" -> {
                        return left;
                    }
                    case "and", "with" -> { // "with" read as "and": looser than one package providing both
                        result = left;
                        do {
                            result &= operand();
                        } while (!(op = word()).equals(")"));
                        return result;
                    }
                    case "or" -> {
                        result = left;
                        do {
                            result |= operand();
                        } while (!(op = word()).equals(")"));
                        return result;
                    }
                    case "without" -> {
                        // At the level of a whole set, "A without B" is met when A is: some provider of
                        // A may lack B. (The solver checks it per package; this check is looser.)
                        operand();
                        word();
                        return left;
                    }
                    case "if", "unless" -> {
                        boolean condition = operand();
                        String next = word();
                        boolean otherwise = true;
                        if (next.equals("else")) {
                            otherwise = operand();
                            word();
                        }
                        return op.equals("if") ? (condition ? left : otherwise) : (condition ? otherwise : left);
                    }
                    default -> throw new IllegalStateException("unexpected '" + op + "' in " + text);
                }
            }

            private boolean operand() {
                skipSpaces();
                if (text.charAt(at) == '(') {
                    return group();
                }
                String name = token();
                int mark = at;
                String op = word();
                if (List.of("<", "<=", "=", ">=", ">").contains(op)) {
                    String evr = token();
                    RpmVersions.Evr parsed = RpmVersions.Evr.parse(evr);
                    String flags = switch (op) {
                        case "<" -> "LT";
                        case "<=" -> "LE";
                        case "=" -> "EQ";
                        case ">=" -> "GE";
                        default -> "GT";
                    };
                    return satisfies(name, new RpmDependency(name, flags, String.valueOf(parsed.epoch()), parsed.version(),
                            parsed.release(), false));
                }
                at = mark;
                return satisfies(name, RpmDependency.of(name));
            }

            private String word() {
                skipSpaces();
                if (text.charAt(at) == ')') {
                    at++;
                    return ")";
                }
                return token();
            }

            private String token() {
                skipSpaces();
                int start = at;
                int depth = 0;
                while (at < text.length()) {
                    char c = text.charAt(at);
                    if (c == '(') {
                        depth++;
                    } else if (c == ')') {
                        if (depth == 0) {
                            break;
                        }
                        depth--;
                    } else if (c == ' ' && depth == 0) {
                        break;
                    }
                    at++;
                }
                return text.substring(start, at);
            }

            private void expect(char c) {
                skipSpaces();
                if (text.charAt(at) != c) {
                    throw new IllegalStateException("expected '" + c + "' at " + at + " in " + text);
                }
                at++;
            }

            private void skipSpaces() {
                while (at < text.length() && text.charAt(at) == ' ') {
                    at++;
                }
            }
        }
    }
}
