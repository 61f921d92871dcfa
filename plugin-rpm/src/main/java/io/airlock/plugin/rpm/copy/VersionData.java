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
import io.airlock.plugin.rpm.solve.CompactDependencies;
import io.airlock.plugin.rpm.solve.DependencySolver.PackageInfo;
import io.airlock.plugin.rpm.solve.RpmVersions;
import io.airlock.spi.copy.VersionContent;
import org.hibernate.Session;
import java.util.ArrayList;
import java.util.BitSet;
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
    /** Module name → its builds, for module requirements. */
    final Map<String, List<Modulemd>> modulesByName = new HashMap<>();
    /** Module name → the stream its defaults name (modules without defaults, or whose defaults name none, are absent). */
    final Map<String, String> defaultStream = new HashMap<>();
    /** Package label → module builds listing it as an artifact. */
    final Map<String, List<UUID>> modulesOfPackage = new HashMap<>();
    final Map<String, List<UUID>> defaultsOfModule = new HashMap<>();
    /** {@code module:stream} → the obsoletes of that stream (with the one context each names, or null for all). */
    final Map<String, List<Obsolete>> obsoletesOfStream = new HashMap<>();
    final Map<String, UUID> groupByLabel = new HashMap<>();
    final Map<UUID, List<String>> groupPackages = new HashMap<>();
    /** Category or environment → the group ids it lists (options included). */
    final Map<UUID, List<String>> groupLists = new HashMap<>();
    /**
     * The paths primary lists, with the names of the provides that are paths: a file requirement
     * outside these can only be met by a complete file list.
     */
    final Set<String> primaryPaths = new HashSet<>();
    /** The file requirements (plain and inside rich dependencies) of this version's packages. */
    final Set<String> requiredPaths = new HashSet<>();
    /** Positions in {@link #packages} of the packages whose complete file list is kept. */
    private final BitSet completable = new BitSet();
    /** Paths already looked up in the complete file lists, and what that found: package position → paths. */
    private final Set<String> lookedUp = new HashSet<>();
    private final Map<Integer, List<String>> filesFound = new HashMap<>();
    private final StringPool pool = new StringPool();

    static VersionData load(VersionContent version) {
        VersionData data = new VersionData();
        StringPool pool = data.pool;
        CompactDependencies packer = new CompactDependencies(pool);
        version.scan(RpmPackage.class, 1000, batch -> {
            for (RpmPackage p : batch) {
                List<String> files = new ArrayList<>(p.files().size());
                p.files().forEach(f -> files.add(pool.intern(f.path())));
                if (p.packedFileList() != null) {
                    data.completable.set(data.packages.size());
                }
                String key = p.id().toString();
                PackageInfo info = new PackageInfo(key, pool.intern(p.name()), pool.intern(p.epoch()),
                        pool.intern(p.version()), pool.intern(p.release()), pool.intern(p.arch()),
                        packer.pack(p.provides()), packer.pack(p.requires()), packer.pack(p.recommends()), List.copyOf(files));
                data.primaryPaths.addAll(info.files());
                for (RpmDependency provide : info.provides()) {
                    if (provide.name().startsWith("/")) {
                        data.primaryPaths.add(provide.name());
                    }
                }
                addPaths(info.requires(), data.requiredPaths);
                addPaths(info.recommends(), data.requiredPaths);
                data.packages.add(info);
                String label = p.label();
                data.packageByLabel.put(label, p.id());
                data.packageLabel.put(p.id(), label);
                data.offerNewest(info);
            }
        });
        // what was pooled beyond the packages' strings (dependency texts) need not stay reachable
        pool.clear();
        version.scan(Modulemd.class, 1000, batch -> {
            for (Modulemd m : batch) {
                data.moduleByLabel.put(m.label(), m.id());
                data.labels.put(m.id(), m.label());
                data.modules.put(m.id(), m);
                data.modulesByName.computeIfAbsent(m.name(), n -> new ArrayList<>()).add(m);
                for (String artifact : m.artifacts()) {
                    data.modulesOfPackage.computeIfAbsent(labelOfArtifact(artifact), a -> new ArrayList<>()).add(m.id());
                }
            }
        });
        version.scan(ModulemdDefaults.class, 1000, batch -> batch.forEach(d -> {
            data.defaultsOfModule.computeIfAbsent(d.module(), m -> new ArrayList<>()).add(d.id());
            if (d.stream() != null && !d.stream().isEmpty()) {
                data.defaultStream.put(d.module(), d.stream());
            }
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

    /**
     * The packages as the solver takes them, each with the files its complete list has of
     * {@code paths} (primary's files and these), looking up in the complete lists (one query per
     * thousand packages that have one, reading only that column) the paths not looked up before. What was found is kept with this version's data,
     * so a path is looked for once per version; what a package offers beyond primary's files is
     * only ever paths some copy required, so the solution does not depend on earlier copies.
     */
    synchronized List<PackageInfo> packagesWithFiles(Session session, Set<String> paths) {
        Set<String> wanted = new HashSet<>();
        for (String path : paths) {
            if (!lookedUp.contains(path)) {
                wanted.add(path);
            }
        }
        if (!wanted.isEmpty() && !completable.isEmpty()) {
            // only the packed lists, by id: loading the packages again would parse all their dependencies
            List<UUID> ids = new ArrayList<>();
            Map<UUID, Integer> positions = new HashMap<>();
            completable.stream().forEach(i -> {
                UUID id = UUID.fromString(packages.get(i).key());
                ids.add(id);
                positions.put(id, i);
            });
            for (int from = 0; from < ids.size(); from += 1000) {
                List<Object[]> rows = session.createSelectionQuery("select p.id, p.fileList from RpmPackage p where p.id in :ids",
                        Object[].class).setParameter("ids", ids.subList(from, Math.min(ids.size(), from + 1000))).getResultList();
                for (Object[] row : rows) {
                    int position = positions.get((UUID) row[0]);
                    PackageInfo p = packages.get(position);
                    Set<String> primary = new HashSet<>(p.files());
                    PackedLists.forEachFile((byte[]) row[1], "package " + RpmPackage.nevra(p.name(), p.epoch(), p.version(), p.release(), p.arch()), f -> {
                        if (wanted.contains(f.path()) && !primary.contains(f.path())) {
                            List<String> found = filesFound.computeIfAbsent(position, x -> new ArrayList<>());
                            if (!found.contains(f.path())) {
                                found.add(pool.intern(f.path()));
                            }
                        }
                    });
                }
            }
        }
        lookedUp.addAll(wanted);
        if (filesFound.isEmpty()) {
            return packages;
        }
        List<PackageInfo> completed = new ArrayList<>(packages);
        filesFound.forEach((position, found) -> {
            PackageInfo p = packages.get(position);
            List<String> files = new ArrayList<>(p.files());
            files.addAll(found);
            completed.set(position, new PackageInfo(p.key(), p.name(), p.epoch(), p.version(), p.release(), p.arch(),
                    p.provides(), p.requires(), p.recommends(), List.copyOf(files)));
        });
        return completed;
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
}
