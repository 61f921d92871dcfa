package io.airlock.plugin.rpm;

import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ContentType;
import io.airlock.spi.Migration;
import io.airlock.plugin.rpm.copy.RpmCopyPolicy;
import io.airlock.spi.copy.CopyPolicy;
import java.util.Optional;
import java.util.List;

/**
 * RPM content: packages, advisories (with their collections, packages and references), module
 * builds, defaults and obsoletes, comps (groups, categories, environments, langpacks), other
 * metadata files (productid and the like) and repomd's revision and tags. Advisories have a
 * hand-written resource; every other type is served by the generic one.
 */
public final class RpmPlugin implements ContentPlugin {

    public static final String NAME = "rpm";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String version() {
        return "2.0.0";
    }

    @Override
    public List<ContentType<?>> contentTypes() {
        return List.of(
                ContentType.of(RpmPackage.class).withFileDigest(unit -> Optional.of(unit.fileDigest())),
                ContentType.of(RpmAdvisory.class, context -> new AdvisoryResource()),
                ContentType.of(Modulemd.class),
                ContentType.of(ModulemdDefaults.class),
                ContentType.of(ModulemdObsolete.class),
                ContentType.of(PackageGroup.class),
                ContentType.of(PackageCategory.class),
                ContentType.of(PackageEnvironment.class),
                ContentType.of(PackageLangpacks.class),
                ContentType.of(RepoMetadataFile.class).withFileDigest(unit -> Optional.of(unit.fileDigest())),
                ContentType.of(RepoMetadata.class));
    }

    private final RpmCopyPolicy copyPolicy = new RpmCopyPolicy();

    @Override
    public Optional<CopyPolicy> copyPolicy() {
        return Optional.of(copyPolicy);
    }

    @Override
    public List<Class<?>> entityClasses() {
        return List.of(AdvisoryCollection.class, AdvisoryPackage.class, AdvisoryReference.class);
    }

    @Override
    public List<Migration> migrations() {
        return List.of(Migration.of(1, "rpm content tables", "io/airlock/plugin/rpm/schema"),
                Migration.of(2, "rpm package file lists and changelogs", "io/airlock/plugin/rpm/schema"),
                Migration.of(3, "rpm module obsoletes, other metadata files, repomd revision and tags", "io/airlock/plugin/rpm/schema"));
    }
}
