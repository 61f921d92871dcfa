package io.airlock.core;

import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ContentType;
import io.airlock.spi.Migration;
import java.util.List;

/** The widget type from a plugin that ships its schema as a migration, as an outside plugin would. */
final class MigratedWidgetPlugin implements ContentPlugin {

    @Override
    public String name() {
        return "test";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public List<ContentType<?>> contentTypes() {
        return new WidgetPlugin().contentTypes();
    }

    @Override
    public List<Migration> migrations() {
        return List.of(Migration.of(1, "widget table", "io/airlock/core/schematest"));
    }
}
