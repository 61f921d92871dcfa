package io.airlock.testing.kit;

import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ContentType;
import java.util.List;

/** Two generic types, one referring to the other. */
final class KitPlugin implements ContentPlugin {

    @Override
    public String name() {
        return "kit";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public List<ContentType<?>> contentTypes() {
        return List.of(ContentType.of(KitRelease.class), ContentType.of(KitTool.class));
    }
}
