package io.airlock.plugin.rpm.solve;

import io.airlock.plugin.rpm.RpmDependency;
import io.airlock.plugin.rpm.solve.DependencySolver.PackageInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Seeded synthetic repositories: many names, versions and architectures, crossing dependencies. */
final class RandomRepository {

    private static final String[] ARCHES = {"x86_64", "x86_64", "x86_64", "i686", "noarch", "aarch64"};

    private RandomRepository() {
    }

    /**
     * {@code count} packages; package i provides {@code cap-i}, {@code shared-(i/10)} (versioned)
     * and a few other capabilities and files, and requires {@code requires} capabilities of other packages. As in real repositories
     * they lean on a core of libraries: the first {@code core} packages require only each other,
     * the others require the core but for {@code strayPercent} of their requirements.
     */
    static List<PackageInfo> generate(long seed, String keyPrefix, int count, int core, int strayPercent, int requires,
            boolean rich) {
        Random random = new Random(seed);
        List<PackageInfo> packages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = "name" + (i / 3);
            String version = (1 + random.nextInt(3)) + "." + random.nextInt(12);
            String release = (1 + random.nextInt(9)) + ".el9";
            String arch = ARCHES[random.nextInt(ARCHES.length)];
            List<RpmDependency> provides = new ArrayList<>();
            provides.add(RpmDependency.of("cap-" + i));
            provides.add(new RpmDependency("shared-" + i / 10, "EQ", "0", version, release, false));
            provides.add(RpmDependency.of("lib" + (i / 3) + ".so." + random.nextInt(3) + "()(64bit)"));
            List<String> files = List.of("/usr/bin/tool" + i, "/usr/lib/dir" + (i / 7) + "/f" + random.nextInt(5));
            List<RpmDependency> req = new ArrayList<>();
            for (int r = 0; r < requires; r++) {
                boolean stray = i >= core && random.nextInt(100) < strayPercent;
                int target = stray ? random.nextInt(count) : random.nextInt(Math.min(core, count));
                req.add(switch (random.nextInt(rich ? 8 : 6)) {
                    case 0 -> RpmDependency.of("/usr/bin/tool" + target);
                    case 1 -> new RpmDependency("shared-" + target / 10, "GE", "0", "1." + random.nextInt(6), null, false);
                    case 2 -> RpmDependency.of("lib" + (target / 3) + ".so." + random.nextInt(3) + "()(64bit)");
                    case 3 -> RpmDependency.of("rpmlib(PayloadIsZstd)");
                    case 4 -> RpmDependency.of("missing-" + random.nextInt(1000));
                    case 5 -> RpmDependency.of("cap-" + target);
                    case 6 -> RpmDependency.of("(cap-" + target + " or cap-" + random.nextInt(count) + ")");
                    default -> RpmDependency.of("(cap-" + target + " if cap-" + random.nextInt(count) + " else shared-"
                            + target / 10 + ")");
                });
            }
            boolean stray = i >= core && random.nextInt(100) < strayPercent;
            List<RpmDependency> recommends = List.of(RpmDependency.of("cap-" + random.nextInt(stray ? count : Math.min(core, count))));
            packages.add(new PackageInfo(keyPrefix + i, name, "0", version, release, arch, provides, req, recommends, files));
        }
        return packages;
    }

    /** The same packages, every list in another order. */
    static List<PackageInfo> shuffled(List<PackageInfo> packages, Random random) {
        List<PackageInfo> copy = new ArrayList<>();
        for (PackageInfo p : packages) {
            copy.add(new PackageInfo(p.key(), p.name(), p.epoch(), p.version(), p.release(), p.arch(),
                    shuffle(p.provides(), random), shuffle(p.requires(), random), shuffle(p.recommends(), random),
                    shuffle(p.files(), random)));
        }
        Collections.shuffle(copy, random);
        return copy;
    }

    static <T> List<T> shuffle(List<T> list, Random random) {
        List<T> copy = new ArrayList<>(list);
        Collections.shuffle(copy, random);
        return copy;
    }
}
