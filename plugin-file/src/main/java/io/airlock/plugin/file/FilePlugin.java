package io.airlock.plugin.file;

import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ContentType;
import io.airlock.spi.Migration;
import io.airlock.spi.FileDigest;
import java.util.List;
import java.util.Optional;

/** Plain files: one content type, {@code file.file}, through the generic resource. */
public final class FilePlugin implements ContentPlugin {

    public static final String NAME = "file";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public List<ContentType<?>> contentTypes() {
        // A file's sha256 is its own digest: a link may only give it a file with that sha256.
        return List.of(ContentType.of(FileContent.class).withFileDigest(file -> Optional.of(FileDigest.sha256(file.sha256()))));
    }

    @Override
    public List<Migration> migrations() {
        return List.of(Migration.of(1, "file content tables", "io/airlock/plugin/file/schema"));
    }
}
