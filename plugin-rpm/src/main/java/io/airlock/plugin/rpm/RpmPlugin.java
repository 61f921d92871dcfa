package io.airlock.plugin.rpm;

import io.airlock.spi.ContentPlugin;

/**
 * RPM content. So far only the plugin itself, so that {@code rpm} repositories can be created; the
 * content types (packages, advisories, modules, comps) come with the RPM issue.
 */
public final class RpmPlugin implements ContentPlugin {

    public static final String NAME = "rpm";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String version() {
        return "0.1.0";
    }
}
