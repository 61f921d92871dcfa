package io.airlock.testing.kit;

import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ContentType;
import java.util.List;

/** A plugin whose natural key is not stable. */
final class UnstablePlugin implements ContentPlugin {

    @Override
    public String name() {
        return "unstable";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public List<ContentType<?>> contentTypes() {
        return List.of(ContentType.of(UnstableThing.class));
    }
}
