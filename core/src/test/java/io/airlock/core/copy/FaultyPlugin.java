package io.airlock.core.copy;

import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ContentType;
import io.airlock.spi.copy.CopyPolicy;
import java.util.List;
import java.util.Optional;

/** Test plugin "faulty": one content type and a copy policy that throws once it has read its selection. */
final class FaultyPlugin implements ContentPlugin {

    @Override
    public String name() {
        return "faulty";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public List<ContentType<?>> contentTypes() {
        return List.of(ContentType.of(FaultyThing.class));
    }

    @Override
    public Optional<CopyPolicy> copyPolicy() {
        return Optional.of(problem -> {
            problem.pairs().forEach(pair -> pair.selected().size());
            throw new IllegalStateException("policy exploded");
        });
    }
}
