package io.airlock.core.imports;

import io.airlock.spi.ContentPlugin;

/** A second test plugin: family {@code other}, with no content types. */
final class OtherPlugin implements ContentPlugin {

    @Override
    public String name() {
        return "other";
    }

    @Override
    public String version() {
        return "1.0.0";
    }
}
