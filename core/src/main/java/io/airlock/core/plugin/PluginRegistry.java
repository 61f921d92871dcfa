package io.airlock.core.plugin;

import static java.util.Objects.requireNonNull;

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
    private static final Map<ClassLoader, java.lang.ref.SoftReference<List<ServiceLoader.Provider<ContentPlugin>>>> DISCOVERED =
            new WeakHashMap<>();

    private final List<ContentPlugin> plugins;
    private final Map<String, ContentPlugin> pluginsByName;
    private final Map<String, ContentType<?>> types;
    private final Map<String, ContentPlugin> pluginByType;
    private final Map<Class<?>, ContentType<?>> typesByClass;
    private volatile Map<String, ContentResource<?>> resources;
    private volatile List<String> importOrder;
    private volatile Map<String, List<Reference>> references;
    /** Starts what binds the resources (Airlock's ORM) when they are first needed; null once bound or when none. */
    private volatile Runnable binder;

    /**
     * A unit of one type refers to a unit of {@code targetType} through the attribute at
     * {@code attributePath} (a many-to-one, possibly inside an embeddable: {@code origin.project}).
     */
    public record Reference(String attributePath, String targetType) {
        public Reference {
            java.util.Objects.requireNonNull(attributePath, "attributePath");
            java.util.Objects.requireNonNull(targetType, "targetType");
        }
    }

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
                if (!type.family().equals(name)) {
                    // Export finds a type's plugin by the family, so a type outside its plugin's family
                    // would start fine and fail at the first export.
                    throw invalid("plugin '" + name + "' (" + plugin.getClass().getName() + ") declares content type '"
                            + type.id() + "', whose family '" + type.family() + "' is not the plugin's name; name the type '"
                            + name + "." + type.id().substring(type.family().length() + 1) + "' or the plugin '" + type.family() + "'");
                }
                byId.put(type.id(), type);
                if (byClass.putIfAbsent(type.entityClass(), type) != null) {
                    throw invalid("entity " + type.entityClass().getName() + " is declared as two content types");
                }
            }
        }
        for (ContentPlugin plugin : plugins) {
            EntityChecks.check(plugin);
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
     * New instances of the plugins declared in {@code META-INF/services/io.airlock.spi.ContentPlugin}
     * visible to the class loader, each provider class once. The providers found are cached per
     * class loader (softly, so an unused loader can go); the instances are not: each installation
     * gets plugin objects of its own, so nothing a plugin keeps is shared between installations.
     */
    public static List<ContentPlugin> discover(ClassLoader classLoader) {
        List<ServiceLoader.Provider<ContentPlugin>> providers;
        synchronized (DISCOVERED) {
            java.lang.ref.SoftReference<List<ServiceLoader.Provider<ContentPlugin>>> cached = DISCOVERED.get(classLoader);
            providers = cached == null ? null : cached.get();
            if (providers == null) {
                providers = providers(classLoader);
                DISCOVERED.put(classLoader, new java.lang.ref.SoftReference<>(providers));
            }
        }
        List<ContentPlugin> found = new ArrayList<>();
        for (ServiceLoader.Provider<ContentPlugin> provider : providers) {
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

    private static List<ServiceLoader.Provider<ContentPlugin>> providers(ClassLoader classLoader) {
        Set<Class<? extends ContentPlugin>> seen = new LinkedHashSet<>();
        List<ServiceLoader.Provider<ContentPlugin>> found = new ArrayList<>();
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
            if (seen.add(provider.type())) {
                found.add(provider);
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

    /** The repository types: every plugin's name (each content type's family is its plugin's name). */
    public Set<String> families() {
        return new java.util.TreeSet<>(pluginsByName.keySet());
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
            try {
                created.put(type.id(), create(type, context));
            } catch (AirlockException e) {
                if (e.code() != ErrorCode.PLUGIN_INVALID) {
                    throw e;
                }
                throw new AirlockException(ErrorCode.PLUGIN_INVALID, "plugin '" + pluginByType.get(type.id()).name() + "': "
                        + e.getMessage(), e);
            }
        }
        ImportOrder.Graph graph = ImportOrder.of(types.values(), created, metamodel, this::typeOfClass);
        this.references = graph.references();
        this.importOrder = graph.order();
        this.resources = Collections.unmodifiableMap(created);
        this.binder = null;
    }

    /**
     * Every content type, in the order an export writes them and an import reads them: a type
     * after the types its units refer to (derived from the entities' references), then by each
     * resource's {@link ContentResource#importOrder()} and by id.
     */
    public List<String> importOrder() {
        boundResources();
        return importOrder;
    }

    /** The references of a type's units to other units (none for most types). */
    public List<Reference> references(String typeId) {
        boundResources();
        return references.getOrDefault(typeId, List.of());
    }

    /** The type whose entity is {@code contentClass} or its nearest declared superclass (a proxy's class finds its entity's). */
    private Optional<String> typeOfClass(Class<?> contentClass) {
        for (Class<?> c = contentClass; c != null && c != Object.class; c = c.getSuperclass()) {
            ContentType<?> type = typesByClass.get(c);
            if (type != null) {
                return Optional.of(type.id());
            }
        }
        return Optional.empty();
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
        String typeId = typeOfClass(contentClass).orElseThrow(() -> new AirlockException(ErrorCode.NOT_FOUND,
                "no installed plugin declares content class " + contentClass.getName()));
        return (ContentResource<C>) resource(typeId);
    }

    /** The resource for a unit's own type. */
    @SuppressWarnings("unchecked")
    public <C extends Content> ContentResource<C> resourceOf(C unit) {
        return (ContentResource<C>) resource(unit.typeId());
    }

    private Map<String, ContentResource<?>> boundResources() {
        Map<String, ContentResource<?>> bound = resources;
        if (bound == null) {
            Runnable start = binder;
            if (start != null) {
                start.run(); // calls bindResources, or fails saying why
            }
            bound = resources;
            if (bound == null) {
                throw new IllegalStateException("resources are bound when Airlock starts");
            }
        }
        return bound;
    }

    /**
     * Has the first use of a resource run {@code start}, which must end in {@link #bindResources}:
     * Airlock builds its ORM (whose metamodel the resources need) only when a command needs it, so
     * that short read-only commands start without it.
     */
    public void bindOnFirstUse(Runnable start) {
        this.binder = requireNonNull(start, "start");
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
