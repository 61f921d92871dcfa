package io.airlock.plugin.rpm.copy;

import io.airlock.plugin.rpm.GroupRef;
import io.airlock.plugin.rpm.Modulemd;
import io.airlock.plugin.rpm.ModulemdDefaults;
import io.airlock.plugin.rpm.ModulemdObsolete;
import io.airlock.plugin.rpm.PackageCategory;
import io.airlock.plugin.rpm.PackageEnvironment;
import io.airlock.plugin.rpm.PackageGroup;
import io.airlock.plugin.rpm.RpmDependency;
import io.airlock.plugin.rpm.PackedLists;
import io.airlock.plugin.rpm.RpmPackage;
import io.airlock.plugin.rpm.StringPool;
import io.airlock.plugin.rpm.solve.DependencySolver.PackageInfo;
import io.airlock.plugin.rpm.solve.RpmVersions;
import io.airlock.spi.copy.VersionContent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What copy needs of one repository version: every package in the solver's form, and the
 * relations of the small types (modules, defaults, comps) by label. Versions never change once
 * made, so this is cached per version (see {@link RpmCopyPolicy}).
 */
final class VersionData {

    /** Packages as the solver takes them; the key is the unit id. */
    final List<PackageInfo> packages = new ArrayList<>();
    final Map<String, UUID> packageByLabel = new HashMap<>();
    final Map<UUID, String> packageLabel = new HashMap<>();
    /** Newest packages of a name (one per architecture at the newest EVR), for groups. */
    final Map<String, List<PackageInfo>> newestByName = new HashMap<>();
    /** Labels of the units of every type but packages and advisories (those of packages are in {@link #packageLabel}). */
    final Map<UUID, String> labels = new HashMap<>();
    final Map<String, UUID> moduleByLabel = new HashMap<>();
    final Map<UUID, Modulemd> modules = new HashMap<>();
    /** Package label → module builds listing it as an artifact. */
    final Map<String, List<UUID>> modulesOfPackage = new HashMap<>();
    final Map<String, List<UUID>> defaultsOfModule = new HashMap<>();
    /** {@code module:stream} → the obsoletes of that stream (with the one context each names, or null for all). */
    final Map<String, List<Obsolete>> obsoletesOfStream = new HashMap<>();
    final Map<String, UUID> groupByLabel = new HashMap<>();
    final Map<UUID, List<String>> groupPackages = new HashMap<>();
    /** Category or environment → the group ids it lists (options included). */
    final Map<UUID, List<String>> groupLists = new HashMap<>();

    static VersionData load(VersionContent version) {
        VersionData data = new VersionData();
        StringPool pool = new StringPool();
        // File requirements: primary lists only the commonly required paths; the complete lists
        // (packed per package) are read in a second pass for the paths some package requires.
        Set<String> requiredPaths = new HashSet<>();
        Map<UUID, List<String>> completable = new HashMap<>();
        version.scan(RpmPackage.class, 1000, batch -> {
            for (RpmPackage p : batch) {
                List<String> files = new ArrayList<>(p.files().size());
                p.files().forEach(f -> files.add(pool.intern(f.path())));
                if (p.packedFileList() != null) {
                    completable.put(p.id(), files);
                }
                PackageInfo info = new PackageInfo(p.id().toString(), pool.intern(p.name()), pool.intern(p.epoch()),
                        pool.intern(p.version()), pool.intern(p.release()), pool.intern(p.arch()),
                        intern(pool, p.provides()), intern(pool, p.requires()), intern(pool, p.recommends()), files);
                addPaths(info.requires(), requiredPaths);
                addPaths(info.recommends(), requiredPaths);
                data.packages.add(info);
                data.packageByLabel.put(p.label(), p.id());
                data.packageLabel.put(p.id(), p.label());
                data.offerNewest(info);
            }
        });
        if (!completable.isEmpty() && !requiredPaths.isEmpty()) {
            version.scan(RpmPackage.class, 1000, batch -> {
                for (RpmPackage p : batch) {
                    List<String> files = completable.get(p.id());
                    if (files == null) {
                        continue;
                    }
                    Set<String> known = new HashSet<>(files);
                    PackedLists.forEachFile(p.packedFileList(), "package " + p.nevra(), f -> {
                        if (requiredPaths.contains(f.path()) && known.add(f.path())) {
                            files.add(pool.intern(f.path()));
                        }
                    });
                }
            });
        }
        version.scan(Modulemd.class, 1000, batch -> {
            for (Modulemd m : batch) {
                data.moduleByLabel.put(m.label(), m.id());
                data.labels.put(m.id(), m.label());
                data.modules.put(m.id(), m);
                for (String artifact : m.artifacts()) {
                    data.modulesOfPackage.computeIfAbsent(labelOfArtifact(artifact), a -> new ArrayList<>()).add(m.id());
                }
            }
        });
        version.scan(ModulemdDefaults.class, 1000, batch -> batch.forEach(d -> {
            data.defaultsOfModule.computeIfAbsent(d.module(), m -> new ArrayList<>()).add(d.id());
            data.labels.put(d.id(), d.label());
        }));
        version.scan(ModulemdObsolete.class, 1000, batch -> batch.forEach(o -> {
            data.obsoletesOfStream.computeIfAbsent(o.module() + ":" + o.stream(), s -> new ArrayList<>())
                    .add(new Obsolete(o.id(), o.context()));
            data.labels.put(o.id(), o.label());
        }));
        version.scan(PackageGroup.class, 1000, batch -> batch.forEach(g -> {
            data.groupByLabel.put(g.label(), g.id());
            data.labels.put(g.id(), g.label());
            data.groupPackages.put(g.id(), g.packages().stream().map(io.airlock.plugin.rpm.GroupPackage::name).toList());
        }));
        version.scan(PackageCategory.class, 1000, batch -> batch.forEach(c -> {
            data.groupLists.put(c.id(), c.groups().stream().map(GroupRef::name).toList());
            data.labels.put(c.id(), c.label());
        }));
        version.scan(PackageEnvironment.class, 1000, batch -> batch.forEach(e -> {
            List<String> groups = new ArrayList<>(e.groups().stream().map(GroupRef::name).toList());
            e.options().stream().map(GroupRef::name).forEach(groups::add);
            data.groupLists.put(e.id(), groups);
            data.labels.put(e.id(), e.label());
        }));
        return data;
    }

    /** An obsolete of a stream: its unit and the one context it names (null: every context). */
    record Obsolete(UUID id, String context) {
    }

    private void offerNewest(PackageInfo p) {
        if (p.arch().equals("src") || p.arch().equals("nosrc")) {
            return;
        }
        List<PackageInfo> newest = newestByName.computeIfAbsent(p.name(), n -> new ArrayList<>());
        if (newest.isEmpty()) {
            newest.add(p);
            return;
        }
        int order = RpmVersions.compare(evr(p), evr(newest.get(0)));
        if (order > 0) {
            newest.clear();
            newest.add(p);
        } else if (order == 0) {
            newest.add(p);
        }
    }

    static RpmVersions.Evr evr(PackageInfo p) {
        return RpmVersions.Evr.of(p.epoch(), p.version(), p.release());
    }

    /** A module artifact {@code name-epoch:version-release.arch} as a package label (epoch 0 left out). */
    static String labelOfArtifact(String artifact) {
        int colon = artifact.indexOf(':');
        if (colon < 0) {
            return artifact;
        }
        int dash = artifact.lastIndexOf('-', colon);
        if (dash < 0) {
            return artifact;
        }
        String epoch = artifact.substring(dash + 1, colon);
        return epoch.equals("0") ? artifact.substring(0, dash + 1) + artifact.substring(colon + 1) : artifact;
    }

    /** The file paths a dependency list names: plain ones, and those inside rich dependencies. */
    static void addPaths(List<RpmDependency> deps, Set<String> paths) {
        for (RpmDependency d : deps) {
            String name = d.name();
            if (name.startsWith("/")) {
                paths.add(name);
            } else if (name.startsWith("(") && name.indexOf('/') >= 0) {
                for (String token : name.split("[\\s()]+")) {
                    if (token.startsWith("/")) {
                        paths.add(token);
                    }
                }
            }
        }
    }

    private static List<RpmDependency> intern(StringPool pool, List<RpmDependency> deps) {
        List<RpmDependency> interned = new ArrayList<>(deps.size());
        for (RpmDependency d : deps) {
            interned.add(new RpmDependency(pool.intern(d.name()), pool.intern(d.flags()), pool.intern(d.epoch()),
                    pool.intern(d.version()), pool.intern(d.release()), d.pre()));
        }
        return interned;
    }
}
