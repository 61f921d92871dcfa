package io.airlock.plugin.rpm.solve;

import io.airlock.plugin.rpm.RpmDependency;
import io.airlock.plugin.rpm.solve.DependencySolver.PackageInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Packages and dependencies written the way rpm prints them. */
final class Fixtures {

    private Fixtures() {
    }

    /**
     * {@code name}, {@code name OP [E:]V[-R]} (the epoch stays null unless written), or a rich
     * dependency in parentheses.
     */
    static RpmDependency dep(String text) {
        if (text.startsWith("(")) {
            return RpmDependency.of(text);
        }
        String[] parts = text.trim().split("\\s+");
        if (parts.length == 1) {
            return RpmDependency.of(parts[0]);
        }
        String flags = switch (parts[1]) {
            case "=" -> "EQ";
            case "<" -> "LT";
            case "<=" -> "LE";
            case ">" -> "GT";
            case ">=" -> "GE";
            default -> throw new IllegalArgumentException(parts[1]);
        };
        String evr = parts[2];
        int colon = evr.indexOf(':');
        String epoch = colon < 0 ? null : evr.substring(0, colon);
        String rest = evr.substring(colon + 1);
        int hyphen = rest.lastIndexOf('-');
        String version = hyphen < 0 ? rest : rest.substring(0, hyphen);
        String release = hyphen < 0 ? null : rest.substring(hyphen + 1);
        return new RpmDependency(parts[0], flags, epoch, version, release, false);
    }

    /** A package {@code name-[E:]V-R.arch}, keyed by exactly that text unless {@link Pkg#key} says otherwise. */
    static Pkg pkg(String name, String evr, String arch) {
        return new Pkg(name, evr, arch);
    }

    static final class Pkg {
        private final String name;
        private final String epoch;
        private final String version;
        private final String release;
        private final String arch;
        private String key;
        private final List<RpmDependency> provides = new ArrayList<>();
        private final List<RpmDependency> requires = new ArrayList<>();
        private final List<RpmDependency> recommends = new ArrayList<>();
        private final List<String> files = new ArrayList<>();

        private Pkg(String name, String evr, String arch) {
            this.name = name;
            this.arch = arch;
            int colon = evr.indexOf(':');
            epoch = colon < 0 ? "0" : evr.substring(0, colon);
            String rest = evr.substring(colon + 1);
            int hyphen = rest.lastIndexOf('-');
            version = rest.substring(0, hyphen);
            release = rest.substring(hyphen + 1);
            key = name + "-" + evr + "." + arch;
        }

        Pkg key(String key) {
            this.key = key;
            return this;
        }

        Pkg provides(String... deps) {
            Arrays.stream(deps).map(Fixtures::dep).forEach(provides::add);
            return this;
        }

        Pkg requires(String... deps) {
            Arrays.stream(deps).map(Fixtures::dep).forEach(requires::add);
            return this;
        }

        Pkg recommends(String... deps) {
            Arrays.stream(deps).map(Fixtures::dep).forEach(recommends::add);
            return this;
        }

        Pkg files(String... paths) {
            files.addAll(List.of(paths));
            return this;
        }

        PackageInfo build() {
            return new PackageInfo(key, name, epoch, version, release, arch, new ArrayList<>(provides),
                    new ArrayList<>(requires), new ArrayList<>(recommends), new ArrayList<>(files));
        }
    }

    /** A solver over one pair (index 0) with the given source and destination. */
    static DependencySolver onePair(List<PackageInfo> source, List<PackageInfo> destination) {
        return DependencySolver.builder().pair(0, source, destination).build();
    }

    static List<PackageInfo> list(Pkg... packages) {
        return Arrays.stream(packages).map(Pkg::build).toList();
    }
}
