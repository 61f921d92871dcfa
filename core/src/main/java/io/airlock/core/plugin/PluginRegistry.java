package io.airlock.core.plugin;

import io.airlock.generic.GenericContentResource;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Content;
import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ContentResource;
import io.airlock.spi.ContentType;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ResourceContext;
import jakarta.persistence.metamodel.Metamodel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.regex.Pattern;

/**
 * The installed plugins and their content types. Built from plugins registered explicitly and,
 * as a convenience, those found by {@link ServiceLoader}; refuses duplicates and broken plugins at
 * start-up with a message naming both sides.
 */
public final class PluginRegistry {

    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+([-+.].*)?");
    private static final Map<ClassLoader, List<ContentPlugin>> DISCOVERED = Collections.synchronizedMap(new WeakHashMap<>());

    private final List<ContentPlugin> plugins;
    private final Map<String, ContentPlugin> pluginsByName;
    private final Map<String, ContentType<?>> types;
    private final Map<String, ContentPlugin> pluginByType;
    private final Map<Class<?>, ContentType<?>> typesByClass;
    private volatile Map<String, ContentResource<?>> resources;

    private PluginRegistry(List<ContentPlugin> plugins) {
        this.plugins = List.copyOf(plugins);
        Map<String, ContentPlugin> byName = new LinkedHashMap<>();
        Map<String, ContentType<?>> byId = new LinkedHashMap<>();
        Map<String, ContentPlugin> owner = new LinkedHashMap<>();
        Map<Class<?>, ContentType<?>> byClass = new LinkedHashMap<>();
        for (ContentPlugin plugin : plugins) {
            String name = requireValue(plugin, plugin.name(), "name");
            String version = requireValue(plugin, plugin.version(), "version");
            if (!VERSION.matcher(version).matches()) {
                throw invalid("plugin '" + name + "' (" + plugin.getClass().getName() + ") has version '" + version
                        + "', which is not MAJOR.MINOR.PATCH");
            }
            ContentPlugin previous = byName.putIfAbsent(name, plugin);
            if (previous != null) {
                throw invalid("two plugins are named '" + name + "': " + previous.getClass().getName() + " and "
                        + plugin.getClass().getName());
            }
            for (ContentType<?> type : plugin.contentTypes()) {
                ContentPlugin claimant = owner.putIfAbsent(type.id(), plugin);
                if (claimant != null) {
                    throw invalid("content type '" + type.id() + "' is declared by both plugin '" + claimant.name() + "' ("
                            + claimant.getClass().getName() + ") and plugin '" + name + "' (" + plugin.getClass().getName() + ")");
                }
                byId.put(type.id(), type);
                if (byClass.putIfAbsent(type.entityClass(), type) != null) {
                    throw invalid("entity " + type.entityClass().getName() + " is declared as two content types");
                }
            }
        }
        this.pluginsByName = Collections.unmodifiableMap(byName);
        this.types = Collections.unmodifiableMap(byId);
        this.pluginByType = Collections.unmodifiableMap(owner);
        this.typesByClass = Collections.unmodifiableMap(byClass);
    }

    /** A registry of exactly these plugins (explicit registration, the main path). */
    public static PluginRegistry of(List<ContentPlugin> plugins) {
        return new PluginRegistry(plugins);
    }

    /**
     * The plugins declared in {@code META-INF/services/io.airlock.spi.ContentPlugin} visible to the
     * class loader, each provider class instantiated once; cached per class loader.
     */
    public static List<ContentPlugin> discover(ClassLoader classLoader) {
        synchronized (DISCOVERED) {
            List<ContentPlugin> cached = DISCOVERED.get(classLoader);
            if (cached == null) {
                cached = load(classLoader);
                DISCOVERED.put(classLoader, cached);
            }
            return cached;
        }
    }

    private static List<ContentPlugin> load(ClassLoader classLoader) {
        Set<Class<? extends ContentPlugin>> seen = new LinkedHashSet<>();
        List<ContentPlugin> found = new ArrayList<>();
        var providers = ServiceLoader.load(ContentPlugin.class, classLoader).stream().iterator();
        while (true) {
            ServiceLoader.Provider<ContentPlugin> provider;
            try {
                if (!providers.hasNext()) {
                    break;
                }
                provider = providers.next();
            } catch (ServiceConfigurationError e) {
                throw new AirlockException(ErrorCode.PLUGIN_INVALID, "a plugin provider could not be loaded: " + e.getMessage(), e);
            }
            // The same provider class listed by two jars (or twice in one) is one plugin; filter on
            // the type before instantiating.
            if (!seen.add(provider.type())) {
                continue;
            }
            try {
                found.add(provider.get());
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new AirlockException(ErrorCode.PLUGIN_INVALID,
                        "plugin provider " + provider.type().getName() + " could not be instantiated: " + cause, e);
            }
        }
        return List.copyOf(found);
    }

    public List<ContentPlugin> plugins() {
        return plugins;
    }

    public Optional<ContentPlugin> plugin(String name) {
        return Optional.ofNullable(pluginsByName.get(name));
    }

    /**
     * The repository types: every plugin's name and every content type's family (a plugin may add
     * types to another plugin's family).
     */
    public Set<String> families() {
        Set<String> families = new java.util.TreeSet<>(pluginsByName.keySet());
        types.values().forEach(type -> families.add(type.family()));
        return families;
    }

    public List<ContentType<?>> contentTypes() {
        return List.copyOf(types.values());
    }

    public Optional<ContentType<?>> contentType(String typeId) {
        return Optional.ofNullable(types.get(typeId));
    }

    /** The plugin that declares a type; {@code NOT_FOUND} naming the type otherwise. */
    public ContentPlugin pluginOf(String typeId) {
        ContentPlugin plugin = pluginByType.get(typeId);
        if (plugin == null) {
            throw new AirlockException(ErrorCode.NOT_FOUND, "unknown content type '" + typeId + "' (no installed plugin declares it)");
        }
        return plugin;
    }

    /** Every entity class the plugins need mapped: content types first, then their sub-records. */
    public List<Class<?>> entityClasses() {
        Set<Class<?>> classes = new LinkedHashSet<>();
        for (ContentPlugin plugin : plugins) {
            for (ContentType<?> type : plugin.contentTypes()) {
                classes.add(type.entityClass());
            }
            classes.addAll(plugin.entityClasses());
        }
        return List.copyOf(classes);
    }

    /**
     * Creates every type's resource (hand-written or generic) against the metamodel. Called once
     * by the bootstrap; a type the generic resource cannot represent fails here, naming it.
     */
    public void bindResources(Metamodel metamodel) {
        Map<String, ContentResource<?>> created = new LinkedHashMap<>();
        ResourceContext context = new ResourceContext() {
            @Override
            public Metamodel metamodel() {
                return metamodel;
            }

            @Override
            public <C extends Content> ContentResource<C> resourceFor(Class<C> contentClass) {
                return PluginRegistry.this.resource(contentClass);
            }
        };
        for (ContentType<?> type : types.values()) {
            created.put(type.id(), create(type, context));
        }
        this.resources = Collections.unmodifiableMap(created);
    }

    private static <T extends Content> ContentResource<T> create(ContentType<T> type, ResourceContext context) {
        ContentResource<T> resource = type.resource()
                .map(factory -> factory.create(context))
                .orElseGet(() -> GenericContentResource.create(type, context));
        if (!resource.typeId().equals(type.id()) || resource.entityClass() != type.entityClass()) {
            throw invalid("the resource of content type '" + type.id() + "' reports type '" + resource.typeId()
                    + "' and entity " + resource.entityClass().getName());
        }
        return resource;
    }

    /** The resource of a type id; {@code NOT_FOUND} naming the type when no plugin declares it. */
    public ContentResource<?> resource(String typeId) {
        ContentResource<?> resource = boundResources().get(typeId);
        if (resource == null) {
            throw new AirlockException(ErrorCode.NOT_FOUND, "unknown content type '" + typeId + "' (no installed plugin declares it)");
        }
        return resource;
    }

    @SuppressWarnings("unchecked")
    public <C extends Content> ContentResource<C> resource(Class<C> contentClass) {
        for (Class<?> c = contentClass; c != null && c != Object.class; c = c.getSuperclass()) {
            ContentType<?> type = typesByClass.get(c);
            if (type != null) {
                return (ContentResource<C>) resource(type.id());
            }
        }
        throw new AirlockException(ErrorCode.NOT_FOUND, "no installed plugin declares content class " + contentClass.getName());
    }

    /** The resource for a unit's own type. */
    @SuppressWarnings("unchecked")
    public <C extends Content> ContentResource<C> resourceOf(C unit) {
        return (ContentResource<C>) resource(unit.typeId());
    }

    private Map<String, ContentResource<?>> boundResources() {
        Map<String, ContentResource<?>> bound = resources;
        if (bound == null) {
            throw new IllegalStateException("resources are bound when Airlock starts");
        }
        return bound;
    }

    private static String requireValue(ContentPlugin plugin, String value, String what) {
        if (value == null || value.isBlank()) {
            throw invalid("plugin " + plugin.getClass().getName() + " has no " + what);
        }
        return value;
    }

    private static AirlockException invalid(String message) {
        return new AirlockException(ErrorCode.PLUGIN_INVALID, message);
    }
}
