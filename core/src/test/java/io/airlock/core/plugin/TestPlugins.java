package io.airlock.core.plugin;

import io.airlock.core.Widget;
import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ContentType;
import java.util.List;

/** Plugin providers for discovery tests; public with no-arg constructors, as ServiceLoader needs. */
public final class TestPlugins {

    private TestPlugins() {
    }

    /** Declares {@code test.widget}, like the widget plugin, under another name. */
    public static class Rival implements ContentPlugin {
        @Override
        public String name() {
            return "rival";
        }

        @Override
        public String version() {
            return "2.0.0";
        }

        @Override
        public List<ContentType<?>> contentTypes() {
            return List.of(ContentType.of(Widget.class, context -> null));
        }
    }

    /** Fails in its constructor. */
    public static final class Broken implements ContentPlugin {
        public Broken() {
            throw new IllegalStateException("no licence file");
        }

        @Override
        public String name() {
            return "broken";
        }

        @Override
        public String version() {
            return "1.0.0";
        }
    }

    /** A plugin with no types, named like the widget plugin. */
    public static final class Namesake implements ContentPlugin {
        @Override
        public String name() {
            return "test";
        }

        @Override
        public String version() {
            return "1.0.0";
        }
    }

    /** A version that is not MAJOR.MINOR.PATCH. */
    public static final class Unversioned implements ContentPlugin {
        @Override
        public String name() {
            return "unversioned";
        }

        @Override
        public String version() {
            return "latest";
        }
    }

    /** An entity with a map field and no annotation saying how to store it. */
    @jakarta.persistence.Entity
    @jakarta.persistence.DiscriminatorValue("bad.attributed")
    public static class Attributed extends io.airlock.spi.Content {
        @io.airlock.spi.NaturalKey
        String name;

        java.util.Map<String, Object> attributes;

        @Override
        public String label() {
            return name;
        }
    }

    /** Declares {@link Attributed}. */
    public static final class Unmappable implements ContentPlugin {
        @Override
        public String name() {
            return "bad";
        }

        @Override
        public String version() {
            return "1.0.0";
        }

        @Override
        public List<ContentType<?>> contentTypes() {
            return List.of(ContentType.of(Attributed.class));
        }
    }
}
