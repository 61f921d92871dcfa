package io.airlock.core;

import static java.util.Objects.requireNonNull;

import io.airlock.core.content.ContentWriter;
import io.airlock.core.db.H2InterruptSafeFiles;
import io.airlock.core.plugin.PluginRegistry;
import io.airlock.core.repository.Repositories;
import io.airlock.core.store.ArtifactBatch;
import io.airlock.core.store.ArtifactStore;
import io.airlock.core.store.FileSystemArtifactStore;
import io.airlock.core.trust.TrustedKeys;
import io.airlock.core.store.WorkArea;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Cancellation;
import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ErrorCode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.sql.DataSource;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.Transaction;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.hibernate.jpa.boot.spi.IntegratorProvider;
import org.hibernate.tool.schema.Action;

/**
 * An Airlock installation: a database, an artifact store and the installed plugins. Built with
 * {@link #builder()}; hands out the services. Thread-safe; close it to release the database.
 *
 * <pre>{@code
 * try (Airlock airlock = Airlock.builder().jdbcUrl("jdbc:h2:file:/var/airlock/db").storage(dir).build()) {
 *     airlock.repositories().create("isos", "file", null);
 * }
 * }</pre>
 */
public final class Airlock implements AutoCloseable {

    /** How the database schema is handled at start-up; see {@link Schema} and docs/embedding.md. */
    public enum SchemaAction {
        /**
         * Apply the migrations of the core and the installed plugins that the database lacks (the
         * default; one query when none is missing). A plugin with entities but no migrations gets
         * its own tables from Hibernate's schema update, with a warning.
         */
        MIGRATE,
        /**
         * Check that every migration is applied and every table and column the installed plugins
         * need exists, and refuse to start naming what is missing (a host that applies
         * {@link Schema#sql} itself).
         */
        VALIDATE,
        /** Touch and check nothing: the host vouches for the schema. */
        NONE,
        /** @deprecated Hibernate's schema update is gone; this is {@link #MIGRATE}. */
        @Deprecated
        UPDATE
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Airlock.class);

    /** Plugins already warned about for shipping no migrations. */
    private static final Set<String> WARNED_UNMIGRATED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** The version of Airlock, written into exports as their producer. */
    public static final String VERSION = "0.1.0";

    /** The lock timeout unless {@link Builder#lockTimeout} sets another. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(60);

    /** Built by {@link #orm} on first use when the start did not need it; guarded by {@code this}. */
    private volatile SessionFactory sessionFactory;
    private final Orm orm;
    /** Whether {@link #sessionFactory()} is building the ORM (guarded by {@code this}). */
    private boolean starting;
    /** The ORM built on first use while the plugins' resources are not bound to it yet (guarded by {@code this}). */
    private SessionFactory unbound;
    /** Why binding the plugins' resources failed on first use (guarded by {@code this}). */
    private AirlockException refused;
    private final SchemaMigrator.Connections connections;
    private final PluginRegistry plugins;
    private final ArtifactStore store;
    private final Repositories repositories;
    private final ContentWriter contentWriter;
    private final OrphanCleanup orphanCleanup;
    private final TrustedKeys trustedKeys;
    private final Duration lockTimeout;
    /** Where the second connection for scratch rows comes from; null: scratch rows in the main transaction. */
    private final io.airlock.core.db.ScratchSpace.Source scratchSource;
    /** Set for an H2 file database on Airlock's own pool: compacted at close when this process grew it a lot. */
    private io.airlock.core.db.H2Compaction compaction;
    /** The scratch space of each session's running transaction. */
    private final Map<Session, io.airlock.core.db.ScratchSpace> scratchSpaces =
            java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    private Airlock(SessionFactory sessionFactory, Orm orm, SchemaMigrator.Connections connections, PluginRegistry plugins,
            ArtifactStore store, TrustedKeys trustedKeys, Duration lockTimeout, io.airlock.core.db.ScratchSpace.Source scratchSource) {
        this.scratchSource = scratchSource;
        this.sessionFactory = sessionFactory;
        this.orm = orm;
        this.connections = connections;
        this.plugins = plugins;
        this.store = store;
        this.trustedKeys = trustedKeys;
        this.lockTimeout = lockTimeout;
        this.repositories = new Repositories(this);
        this.contentWriter = new ContentWriter(plugins, store, lockTimeout);
        this.orphanCleanup = new OrphanCleanup(this);
        if (sessionFactory == null) {
            plugins.bindOnFirstUse(this::sessionFactory);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public PluginRegistry plugins() {
        return plugins;
    }

    public ArtifactStore artifacts() {
        return store;
    }

    /**
     * The keys this installation trusts to sign exports; when there is any, every import through it
     * requires a signature by one of them (see {@link Builder#trustedKeys}).
     */
    public TrustedKeys trustedKeys() {
        return trustedKeys;
    }

    public Repositories repositories() {
        return repositories;
    }

    /** The exports named exporters made, and forgetting an exporter. */
    public io.airlock.core.export.ExportHistory exportHistory() {
        return new io.airlock.core.export.ExportHistory(this);
    }

    /** What the installation holds: database, schema, plugins, counts, store size, orphans (aggregate queries only). */
    public InstallationStatus status() {
        return InstallationStatus.of(this);
    }

    /**
     * Makes one new version of {@code repository} from the units {@code work} gives its sink; see
     * {@link io.airlock.core.ingest.Ingest}. All or nothing; failures are {@link AirlockException}s.
     */
    public io.airlock.core.ingest.IngestResult ingest(String repository, io.airlock.core.ingest.Ingest.Mode mode,
            io.airlock.spi.ProgressListener progress, java.util.function.Consumer<io.airlock.core.ingest.IngestSink> work) {
        return new io.airlock.core.ingest.Ingest(this).run(repository, mode, progress, work);
    }

    /**
     * Downloads the files of the on-demand units of a version from the remote locations their sync
     * recorded, verified and stored; see {@link io.airlock.core.remote.VersionDownload}.
     */
    public io.airlock.core.remote.VersionDownload.Result download(io.airlock.core.repository.VersionRef ref,
            io.airlock.core.remote.RemoteOptions options, io.airlock.spi.ProgressListener progress) {
        return new io.airlock.core.remote.VersionDownload(this).run(ref, options, progress);
    }

    /** How long a writer waits for a lock a concurrent writer holds before failing with {@code BUSY}. */
    public Duration lockTimeout() {
        return lockTimeout;
    }

    /** Stores content units in bulk, reusing units that exist by natural key. */
    public ContentWriter contentWriter() {
        return contentWriter;
    }

    /** Where work in progress lives (temporary files, staging and scratch folders); see {@link WorkArea}. */
    public WorkArea workArea() {
        return ((FileSystemArtifactStore) store).workArea();
    }

    /**
     * Removes what killed processes left (their run directories, staging and scratch folders, and
     * artifact files no row names) and orphans: content in no repository version, artifact rows no
     * content uses and stored files no artifact row names. Files a live batch is writing are kept.
     * A dry run removes nothing and reports what it would remove.
     */
    public OrphanCleanup.Result cleanup(boolean dryRun) {
        return orphanCleanup.run(dryRun, Duration.ZERO);
    }

    /**
     * {@link #cleanup(boolean) cleanup(false)}, keeping stored files younger than {@code grace}: for
     * hosts that store files with {@link ArtifactStore#put} outside a batch and record them later.
     */
    public OrphanCleanup.Result cleanupOrphans(Duration grace) {
        return orphanCleanup.run(false, grace);
    }

    /**
     * After the transaction that would have recorded them rolled back: removes the files
     * {@code batch} created that no artifact row names (rows committed by others keep theirs).
     * Each file is removed while this holds its sha256 in the {@code artifact} table (claimed as a
     * concurrent writer would, in a transaction rolled back afterwards), so a writer recording the
     * same artifact at the same time either keeps the file (its row came first) or finds it gone
     * and fails as busy (see {@link ContentWriter#artifactIds}).
     */
    public void discardUnrecorded(ArtifactBatch batch) {
        inRolledBackTransaction(session -> {
            batch.discard(shas -> session.doReturningWork(c -> contentWriter.claimForRemoval(c, shas)));
            return null;
        });
    }

    /**
     * Runs work with a new artifact batch. When the work fails, with an exception or an
     * {@link Error} such as {@link OutOfMemoryError}, or is cancelled, the files the batch created
     * that no artifact row names are removed ({@link #discardUnrecorded}, with the thread's
     * interrupt status cleared meanwhile) before the failure is rethrown.
     */
    public <R> R withArtifactBatch(Function<ArtifactBatch, R> work) {
        try (ArtifactBatch batch = artifacts().batch()) {
            try {
                return work.apply(batch);
            } catch (RuntimeException | Error e) {
                try {
                    // With the interrupt cleared: a cancelled batch must still remove its files.
                    Cancellation.runUninterrupted(() -> discardUnrecorded(batch));
                } catch (RuntimeException | Error cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
        }
    }

    /**
     * Runs work in one database transaction: committed if it returns, rolled back if it throws. If
     * the thread was interrupted, it is rolled back (with the interrupt status cleared meanwhile)
     * and ends with {@link ErrorCode#CANCELLED}.
     */
    public <R> R inTransaction(Function<Session, R> work) {
        return inTransaction(work, true);
    }

    /**
     * Runs work in one database transaction that is rolled back whatever happens: for dry runs, which
     * do all the work (locks, checks, writes) and keep none of it.
     */
    public <R> R inRolledBackTransaction(Function<Session, R> work) {
        return inTransaction(work, false);
    }

    private <R> R inTransaction(Function<Session, R> work, boolean commit) {
        try (Session session = sessionFactory().openSession()) {
            Transaction transaction = null;
            try {
                transaction = session.beginTransaction(); // takes the connection: a failure here is translated too
                R result = work.apply(session);
                if (commit) {
                    Cancellation.check("database work"); // a cancelled operation never commits
                    transaction.commit();
                } else {
                    transaction.rollback();
                }
                return result;
            } catch (RuntimeException | Error e) {
                if (transaction != null && transaction.isActive()) {
                    try {
                        Cancellation.runUninterrupted(transaction::rollback);
                    } catch (RuntimeException rollbackFailure) {
                        e.addSuppressed(rollbackFailure);
                    }
                }
                throw Databases.translate(e, lockTimeout);
            }
        }
    }

    /** What Airlock needs to run read-only work on a plain JDBC connection. */
    @FunctionalInterface
    public interface ConnectionWork<R> {
        R run(Connection connection) throws SQLException;
    }

    /**
     * The scratch space of {@code session}'s running transaction (for the engines): scratch rows on
     * a second connection from the same pool or DataSource, deleted and the connection returned when
     * the transaction ends. See {@link io.airlock.core.db.ScratchSpace}.
     */
    public io.airlock.core.db.ScratchSpace scratch(Session session) {
        synchronized (scratchSpaces) {
            io.airlock.core.db.ScratchSpace space = scratchSpaces.get(session);
            if (space == null) {
                io.airlock.core.db.ScratchSpace created = new io.airlock.core.db.ScratchSpace(session, scratchSource);
                session.getTransaction().registerSynchronization(new jakarta.transaction.Synchronization() {
                    @Override
                    public void beforeCompletion() {
                    }

                    @Override
                    public void afterCompletion(int status) {
                        scratchSpaces.remove(session);
                        created.close();
                    }
                });
                scratchSpaces.put(session, created);
                space = created;
            }
            return space;
        }
    }

    /**
     * Removes the scratch rows of runs that no live transaction holds (left by a killed process);
     * returns how many runs. Cheap when there are none: one query on a small table.
     */
    public int removeDeadScratch() {
        // On a plain connection like readOnly's work, but in short transactions of its own.
        int removed = readOnly(io.airlock.core.db.ScratchSpace::removeDead);
        if (removed > 0) {
            LOG.info("removed the scratch rows of {} killed run(s)", removed);
        }
        return removed;
    }

    /**
     * Runs read-only work on a plain JDBC connection from Airlock's pool (or the host's DataSource),
     * without the ORM: for the short queries of commands that must answer at once (listing
     * repositories and versions), which then never build Hibernate. SQL failures are translated as
     * in {@link #inTransaction}.
     */
    public <R> R readOnly(ConnectionWork<R> work) {
        Connection connection;
        try {
            connection = connections.open();
        } catch (SQLException e) {
            throw Databases.translate(e, lockTimeout);
        }
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw Databases.translate(e, lockTimeout);
        } finally {
            try {
                connections.release(connection);
            } catch (SQLException e) {
                LOG.debug("cannot release a connection: {}", e.toString());
            }
        }
    }

    /**
     * The ORM. When nothing at start-up needed it (no migration to apply, no schema check), it is
     * built here on first use, and the plugins' resources are bound to its metamodel then; a plugin
     * the binding refuses fails that first use with the message start-up would have given.
     */
    public SessionFactory sessionFactory() {
        SessionFactory built = sessionFactory;
        if (built == null) {
            synchronized (this) {
                built = sessionFactory;
                if (built == null) {
                    if (refused != null) {
                        throw refused;
                    }
                    if (starting) { // a resource asked for another while being bound: as at an eager start, not yet
                        throw new IllegalStateException("resources are bound when Airlock starts");
                    }
                    starting = true;
                    try {
                        if (unbound == null) {
                            unbound = orm.start();
                        }
                        try {
                            plugins.bindResources(unbound.getMetamodel());
                        } catch (AirlockException e) {
                            refused = e; // the plugins stay as they are: every later use fails alike
                            throw e;
                        }
                        built = unbound;
                    } finally {
                        starting = false;
                    }
                    sessionFactory = built;
                }
            }
        }
        return built;
    }

    /** Whether the ORM is built (tests of the lazy start). */
    boolean ormStarted() {
        return sessionFactory != null;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (sessionFactory != null) {
                sessionFactory.close(); // stops Airlock's own pool too
            } else if (unbound != null) {
                unbound.close();
            } else {
                orm.stopPool();
            }
            if (compaction != null) {
                compaction.closeCompacted(); // every connection is closed now
                compaction = null;
            }
        }
    }

    /** How the ORM is built (and, before that, how Airlock's own pool is stopped). */
    interface Orm {
        SessionFactory start();

        void stopPool();
    }

    /** Configures and starts an {@link Airlock}. */
    public static final class Builder {
        private static final int POOL_SIZE = 16;
        private static final Duration POOL_TIMEOUT = Duration.ofSeconds(30);

        private String jdbcUrl;
        private String user = "";
        private String password = "";
        private DataSource dataSource;
        private Path storage;
        private Path scratch;
        private boolean cleanupAtStart = true;
        private boolean scratchConnections;
        private boolean discover = true;
        private ClassLoader classLoader = Thread.currentThread().getContextClassLoader();
        private final List<ContentPlugin> explicit = new ArrayList<>();
        private SchemaAction schemaAction = SchemaAction.MIGRATE;
        private final Map<String, Object> properties = new LinkedHashMap<>();
        private TrustedKeys trustedKeys = TrustedKeys.none();
        private Duration lockTimeout = DEFAULT_LOCK_TIMEOUT;

        private Builder() {
        }

        /**
         * The database by JDBC URL (H2 or PostgreSQL; the driver must be on the class path). Airlock
         * keeps a pool of up to 16 connections for it; an operation waits up to 30 s for a free one.
         * For H2, the lock timeout, a 32 MiB cache and {@code WRITE_DELAY=0} (a commit survives a
         * killed process) are added unless set, and a file database is opened on the
         * {@code airlock-retry:} file system, so that cancelling an operation (interrupting its
         * thread) cannot close the database file (see {@link H2InterruptSafeFiles}).
         */
        public Builder jdbcUrl(String url) {
            this.jdbcUrl = requireNonNull(url, "url");
            return this;
        }

        public Builder credentials(String user, String password) {
            this.user = requireNonNull(user, "user");
            this.password = requireNonNull(password, "password");
            return this;
        }

        /** The host's own connection pool instead of a URL. */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = requireNonNull(dataSource, "dataSource");
            return this;
        }

        /**
         * Everything in one directory, as the command line keeps it: the embedded H2 database at
         * {@code home/db/airlock} (unless a URL or DataSource is given too) and the artifact store at
         * {@code home/artifacts}.
         */
        public Builder home(Path home) {
            Path root = requireNonNull(home, "home").toAbsolutePath().normalize();
            if (jdbcUrl == null && dataSource == null) {
                this.jdbcUrl = "jdbc:h2:file:" + root.resolve("db").resolve("airlock");
                this.user = "sa";
            }
            this.storage = root.resolve("artifacts");
            return this;
        }

        /** Root directory of the filesystem artifact store. */
        public Builder storage(Path directory) {
            this.storage = requireNonNull(directory, "directory");
            return this;
        }

        /** Where imports keep their scratch files (default: the artifact store's {@code tmp/}). */
        public Builder scratchDirectory(Path directory) {
            this.scratch = requireNonNull(directory, "directory");
            return this;
        }

        /**
         * With a {@link #dataSource}: whether an import, export or copy may take a second connection
         * from it for its scratch rows (default false: one connection per operation, so a pool sized
         * to the concurrent operations suffices). True keeps those rows out of the operation's
         * transaction, which makes large imports and exports faster and the H2 file smaller; the pool
         * then needs two connections per concurrent operation. Airlock's own pool (a JDBC URL) takes
         * a second connection whenever one is free.
         */
        public Builder scratchConnections(boolean second) {
            this.scratchConnections = second;
            return this;
        }

        /**
         * Whether {@link #build()} removes what killed processes left in the store's work area
         * (default true; costs one directory listing when nothing was left).
         */
        public Builder cleanupAtStart(boolean cleanup) {
            this.cleanupAtStart = cleanup;
            return this;
        }

        /** Registers a plugin explicitly. */
        public Builder plugin(ContentPlugin plugin) {
            explicit.add(requireNonNull(plugin, "plugin"));
            return this;
        }

        /** Whether to add plugins found by {@link java.util.ServiceLoader} (default true). */
        public Builder discoverPlugins(boolean discover) {
            this.discover = discover;
            return this;
        }

        /** The class loader discovery searches (default: the thread's context class loader). */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = requireNonNull(classLoader, "classLoader");
            return this;
        }

        /** How {@link #build()} treats the schema (default {@link SchemaAction#MIGRATE}). */
        public Builder schema(SchemaAction action) {
            this.schemaAction = requireNonNull(action, "action") == SchemaAction.UPDATE ? SchemaAction.MIGRATE : action;
            return this;
        }

        /**
         * Requires every export imported into this installation to be signed by one of these keys
         * (unsigned, wrongly signed or otherwise signed exports are refused before they are read).
         * Calls add up; none by default.
         */
        public Builder trustedKeys(TrustedKeys keys) {
            this.trustedKeys = trustedKeys.and(requireNonNull(keys, "keys"));
            return this;
        }

        /**
         * How long a writer waits for a lock a concurrent writer holds — a repository's version lock,
         * a unit or artifact another transaction is creating — before failing with
         * {@link ErrorCode#BUSY} (default 60 s). Applies to every lock wait of Airlock's writing
         * transactions, on PostgreSQL as {@code SET LOCAL lock_timeout}.
         */
        public Builder lockTimeout(Duration timeout) {
            if (requireNonNull(timeout, "timeout").toMillis() < 1 || timeout.toMillis() > Integer.MAX_VALUE) {
                throw new AirlockException(ErrorCode.INVALID_INPUT, "lock timeout " + timeout + " is not between 1 ms and 24 days");
            }
            this.lockTimeout = timeout;
            return this;
        }

        /** An extra Hibernate property, for hosts that tune the ORM. */
        public Builder property(String name, Object value) {
            properties.put(requireNonNull(name, "name"), value);
            return this;
        }

        public Airlock build() {
            if ((jdbcUrl == null) == (dataSource == null)) {
                throw new AirlockException(ErrorCode.INVALID_INPUT, "give either a JDBC URL or a DataSource");
            }
            if (storage == null) {
                throw new AirlockException(ErrorCode.INVALID_INPUT, "no artifact storage directory given");
            }
            List<ContentPlugin> all = new ArrayList<>(explicit);
            if (discover) {
                for (ContentPlugin found : PluginRegistry.discover(classLoader)) {
                    if (all.stream().noneMatch(p -> p.getClass() == found.getClass())) {
                        all.add(found);
                    }
                }
            }
            PluginRegistry registry = PluginRegistry.of(all);
            ArtifactStore store = new FileSystemArtifactStore(storage,
                    new WorkArea(storage.resolve(FileSystemArtifactStore.TMP), java.util.Optional.ofNullable(scratch)));

            List<Schema.Module> modules = Schema.modules(registry);
            Set<String> unmigrated = new LinkedHashSet<>();
            modules.stream().filter(m -> m.migrations().isEmpty() && m.hasEntities()).forEach(m -> unmigrated.add(m.name()));
            SchemaModel model = new SchemaModel(registry, unmigrated);

            HibernatePersistenceConfiguration configuration = new HibernatePersistenceConfiguration("airlock")
                    .managedClasses(Schema.CORE_ENTITIES)
                    .managedClasses(registry.entityClasses())
                    .property("hibernate.physical_naming_strategy",
                            "org.hibernate.boot.model.naming.CamelCaseToUnderscoresNamingStrategy")
                    .property("hibernate.implicit_naming_strategy", "component-path")
                    .property("hibernate.auto_quote_keyword", true)
                    .property("hibernate.jdbc.batch_size", ContentWriter.BATCH_SIZE)
                    .property("hibernate.jdbc.log.warnings", false)
                    // Every SQL error reaches the caller as an AirlockException; Hibernate's own WARN and
                    // ERROR lines for it (HHH000247) would only say it again.
                    .property("hibernate.jdbc.log.errors", false)
                    .property("hibernate.order_inserts", true)
                    .property("hibernate.order_updates", true)
                    .property("hibernate.jdbc.fetch_size", 1000)
                    .property("hibernate.default_batch_fetch_size", 500)
                    .property("hibernate.query.in_clause_parameter_padding", true)
                    .property("hibernate.type.json_format_mapper", "jackson")
                    .property("hibernate.integrator_provider", (IntegratorProvider) () -> List.of(model));
            ConnectionPool pool = null;
            SchemaMigrator.Connections connections;
            if (dataSource != null) {
                configuration.property("hibernate.connection.datasource", dataSource);
                connections = new SchemaMigrator.Connections() {
                    @Override
                    public Connection open() throws SQLException {
                        return dataSource.getConnection();
                    }

                    @Override
                    public void release(Connection connection) throws SQLException {
                        connection.close();
                    }
                };
            } else {
                ConnectionPool ownPool = new ConnectionPool(withDefaults(jdbcUrl, lockTimeout), user, password, POOL_SIZE, POOL_TIMEOUT);
                pool = ownPool;
                configuration.property("hibernate.connection.provider_class", pool);
                // Connect once first: Hibernate would report an unreachable database as "Unable to
                // determine Dialect"; the first connection is kept for it.
                try {
                    pool.closeConnection(pool.getConnection());
                } catch (SQLException e) {
                    pool.stop();
                    throw new AirlockException(ErrorCode.DATABASE_FAILURE, "cannot open database " + jdbcUrl + ": "
                            + Databases.rootMessage(e), e);
                }
                connections = new SchemaMigrator.Connections() {
                    @Override
                    public Connection open() throws SQLException {
                        return ownPool.getConnection();
                    }

                    @Override
                    public void release(Connection connection) {
                        ownPool.closeConnection(connection);
                    }
                };
            }
            // Hibernate touches no table: every plugin is checked first (bindResources), so a plugin
            // refused at start-up leaves the database as it was; then migrations, then the schema
            // update of plugins that ship none.
            configuration.schemaToolingAction(Action.NONE);
            if (!unmigrated.isEmpty()) {
                configuration.property("hibernate.hbm2ddl.schema_filter_provider", model);
            }
            configuration.properties(properties);

            String database = jdbcUrl != null ? jdbcUrl : "the given DataSource";
            ConnectionPool ownPool = pool;
            Orm orm = new Orm() {
                @Override
                public SessionFactory start() {
                    try {
                        return configuration.createEntityManagerFactory();
                    } catch (RuntimeException e) {
                        throw Databases.startupFailure(database, e);
                    }
                }

                @Override
                public void stopPool() {
                    if (ownPool != null) {
                        ownPool.stop();
                    }
                }
            };
            // The ORM is built now only when start-up needs it: to check every plugin before a
            // migration touches the database (so a refused plugin leaves it as it was), to run the
            // schema update of plugins without migrations, to validate, or because the host passed
            // Hibernate properties (which may ask Hibernate itself to act at start, e.g. its schema
            // generation). Otherwise the first command that needs it builds it (short read-only
            // commands never do).
            boolean ormNow = schemaAction == SchemaAction.VALIDATE || !unmigrated.isEmpty() || !properties.isEmpty()
                    || schemaAction == SchemaAction.MIGRATE && SchemaMigrator.pending(connections, modules, database);
            SessionFactory sessionFactory = null;
            if (ormNow) {
                try {
                    sessionFactory = orm.start();
                } catch (RuntimeException e) {
                    orm.stopPool(); // the connections the failed start opened (an H2 file stays locked otherwise)
                    throw e;
                }
            }
            try {
                if (sessionFactory != null) {
                    registry.bindResources(sessionFactory.getMetamodel());
                }
                if (schemaAction == SchemaAction.MIGRATE) {
                    if (sessionFactory != null) {
                        SchemaMigrator.migrate(connections, modules, database);
                    }
                    if (!unmigrated.isEmpty()) {
                        if (WARNED_UNMIGRATED.addAll(unmigrated)) { // once per plugin and JVM, not at every start
                            LOG.warn("plugin(s) {} ship no schema migrations: their tables are created by Hibernate's schema update",
                                    unmigrated);
                        }
                        updateUnmigrated(sessionFactory, model);
                    }
                } else if (schemaAction == SchemaAction.VALIDATE) {
                    SchemaValidator.validate(sessionFactory, model, modules);
                }
                Airlock airlock = new Airlock(sessionFactory, orm, connections, registry, store, trustedKeys, lockTimeout,
                        scratchSource(pool));
                if (pool != null && jdbcUrl != null) {
                    airlock.compaction = io.airlock.core.db.H2Compaction.of(withDefaults(jdbcUrl, lockTimeout), user, password)
                            .orElse(null);
                }
                if (cleanupAtStart) {
                    recoverDeadRuns(airlock);
                }
                return airlock;
            } catch (RuntimeException e) {
                if (sessionFactory != null) {
                    sessionFactory.close();
                } else {
                    orm.stopPool();
                }
                throw e;
            }
        }

        /** Hibernate's schema update, restricted by {@code model} to the tables of plugins without migrations. */
        private static void updateUnmigrated(SessionFactory sessionFactory, SchemaModel model) {
            var implementor = sessionFactory.unwrap(org.hibernate.engine.spi.SessionFactoryImplementor.class);
            Map<String, Object> settings = new java.util.HashMap<>(implementor.getProperties());
            settings.put("jakarta.persistence.schema-generation.database.action", "update");
            settings.put("hibernate.hbm2ddl.schema_filter_provider", model);
            try {
                org.hibernate.tool.schema.spi.SchemaManagementToolCoordinator.process(model.metadata(),
                        implementor.getServiceRegistry(), settings, action -> { });
            } catch (RuntimeException e) {
                throw new AirlockException(ErrorCode.DATABASE_FAILURE, "the schema update of the plugins without migrations failed: "
                        + Databases.rootMessage(e), e);
            }
        }

        /**
         * The second connection of an operation, for its scratch rows: from Airlock's own pool when one
         * is free at once (an operation never waits for its second connection, so operations cannot
         * exhaust the pool and wait on each other), from the host's DataSource only when the host
         * asked for it ({@link #scratchConnections}), since its pool may be sized to one connection
         * per operation. Null (scratch rows in the operation's transaction) for an anonymous
         * in-memory H2 database, where each connection would open a database of its own.
         */
        private io.airlock.core.db.ScratchSpace.Source scratchSource(ConnectionPool pool) {
            if (pool != null && !anonymousInMemory(jdbcUrl)) {
                return new io.airlock.core.db.ScratchSpace.Source() {
                    @Override
                    public Connection open() throws SQLException {
                        return pool.tryGetConnection();
                    }

                    @Override
                    public void release(Connection connection) {
                        pool.closeConnection(connection);
                    }
                };
            }
            if (dataSource != null && scratchConnections) {
                DataSource source = dataSource;
                return new io.airlock.core.db.ScratchSpace.Source() {
                    @Override
                    public Connection open() throws SQLException {
                        return source.getConnection();
                    }

                    @Override
                    public void release(Connection connection) throws SQLException {
                        connection.close();
                    }
                };
            }
            return null;
        }

        /** {@code jdbc:h2:mem:} without a name: every connection opens a database of its own. */
        private static boolean anonymousInMemory(String url) {
            String lower = url.toLowerCase(java.util.Locale.ROOT);
            return lower.startsWith("jdbc:h2:mem:") && (lower.length() == "jdbc:h2:mem:".length()
                    || lower.charAt("jdbc:h2:mem:".length()) == ';');
        }

        private static void recoverDeadRuns(Airlock airlock) {
            try {
                airlock.removeDeadScratch();
            } catch (RuntimeException e) {
                LOG.warn("cannot remove the scratch rows killed runs left: {}", e.toString());
            }
            try {
                OrphanCleanup.Result removed = airlock.orphanCleanup.recoverDeadRuns();
                if (!removed.isEmpty()) {
                    LOG.info("removed what {} killed run(s) left: {} staging folder(s), {} temporary file(s), {} artifact file(s), {} bytes",
                            removed.deadRuns(), removed.stagingFolders(), removed.temporaryFiles(), removed.files(), removed.bytes());
                }
            } catch (RuntimeException e) {
                // Leftovers cost disk space, not correctness: start anyway; "airlock cleanup" retries.
                LOG.warn("cannot remove what killed runs left in {}: {}", airlock.workArea().root(), e.toString());
            }
        }

        private static String withDefaults(String url, Duration lockTimeout) {
            if (!url.startsWith("jdbc:h2:")) {
                return url;
            }
            String upper = url.toUpperCase(java.util.Locale.ROOT);
            String result = url;
            if (!upper.contains("LOCK_TIMEOUT")) {
                result += ";LOCK_TIMEOUT=" + lockTimeout.toMillis(); // writers of one repository queue on its row lock
            }
            if (!upper.contains("CACHE_SIZE")) {
                result += ";CACHE_SIZE=32768"; // KiB; H2's 64 MiB default is a quarter of a 256 MiB heap
            }
            if (!upper.contains("WRITE_DELAY")) {
                // H2 writes commits out up to 500 ms later by default: a process killed in that time
                // loses transactions it reported committed. 0 writes each commit at once (no fsync).
                result += ";WRITE_DELAY=0";
            }
            // An interrupted thread (a cancelled operation) would otherwise close H2's file for good.
            return H2InterruptSafeFiles.wrap(result);
        }
    }
}
