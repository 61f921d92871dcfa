package io.airlock.plugin.file;

import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ContentType;
import java.util.List;

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
        return List.of(ContentType.of(FileContent.class));
    }
}
