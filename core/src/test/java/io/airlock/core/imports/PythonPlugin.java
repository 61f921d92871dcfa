package io.airlock.core.imports;

import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ContentType;
import java.util.List;

/** A test plugin with two generic content types, one referring to the other. */
public final class PythonPlugin implements ContentPlugin {

    @Override
    public String name() {
        return "python";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public List<ContentType<?>> contentTypes() {
        return List.of(ContentType.of(PythonDistribution.class), ContentType.of(PythonProject.class));
    }
}
