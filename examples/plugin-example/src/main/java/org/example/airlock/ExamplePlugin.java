package org.example.airlock;

import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ContentType;
import io.airlock.spi.FileDigest;
import io.airlock.spi.Migration;
import io.airlock.spi.copy.CopyPolicy;
import java.util.List;
import java.util.Optional;

/** The plugin: its name is its repository family and the prefix of its type ids. */
public final class ExamplePlugin implements ContentPlugin {

    public static final String NAME = "example";

    @Override
    public String name() {
        return NAME;
    }

    /** The version of this plugin's export format: a new major version when the rows change incompatibly. */
    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public List<ContentType<?>> contentTypes() {
        return List.of(
                ContentType.of(Distribution.class).withFileDigest(d -> Optional.of(FileDigest.sha256(d.sha256()))),
                ContentType.of(Project.class));
    }

    @Override
    public List<Migration> migrations() {
        return List.of(Migration.of(1, "example tables", "org/example/airlock/schema"));
    }

    @Override
    public Optional<CopyPolicy> copyPolicy() {
        return Optional.of(new ProjectCopyPolicy());
    }
}
