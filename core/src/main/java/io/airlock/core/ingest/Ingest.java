package io.airlock.core.ingest;

import static java.util.Objects.requireNonNull;

import io.airlock.core.Airlock;
import io.airlock.core.content.ContentWriter;
import io.airlock.core.content.ContentWriter.NewUnit;
import io.airlock.core.content.ContentWriter.UnitFile;
import io.airlock.core.model.Repository;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.repository.VersionDraft;
import io.airlock.core.store.ArtifactBatch;
import io.airlock.core.store.RelativePaths;
import io.airlock.core.store.StoredArtifact;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Cancellation;
import io.airlock.spi.Content;
import io.airlock.spi.ContentResource;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.Consumer;
import org.hibernate.Session;
import org.hibernate.proxy.HibernateProxy;

/**
 * The way a plugin makes a repository version from units it found (a directory, an upstream
 * index): it hands units and their files to an {@link IngestSink}; the ingest stores the files,
 * resolves references between units by natural key, writes the units in batches and commits one
 * version. All or nothing: when anything fails (a unit, a file, the plugin's own code, a
 * cancellation) there is no new version, no new row and no file it stored is left behind.
 *
 * <pre>{@code
 * IngestResult result = new Ingest(airlock).run("pypi", Ingest.Mode.MIRROR, ProgressListener.NONE, sink -> {
 *     sink.add(new Distribution("requests-2.31.0.tar.gz", new Project("requests")), IngestFile.of(name, path, sha256));
 *     sink.add(new Project("requests"));   // referenced above, given later: fine
 * });
 * }</pre>
 *
 * <p>The repository's row is locked for the whole ingest (concurrent writers of it wait). Units
 * whose referenced units are not stored yet wait in memory until those are given or the ingest
 * ends. Interrupting the thread cancels the ingest ({@link ErrorCode#CANCELLED}).
 *
 * <p>Units are written {@value #BATCH_SIZE} at a time, or sooner when the plugin calls
 * {@link IngestSink#flush()} (large units). Files may be stored ahead on another thread with
 * {@link IngestSink#store}, overlapping with the database writes; the natural keys of written units
 * are remembered only for types some reference points to.
 */
public final class Ingest {

    /** How the given units make the new version. */
    public enum Mode {
        /**
         * The latest version plus the given units (a unit replaces one of the same type and label),
         * plus the installation's units they refer to that the version lacks.
         */
        ADD,
        /** Exactly the given units: every other unit of the latest version is removed. */
        MIRROR
    }

    /** How many given units are written together (unless {@link IngestSink#flush()} is called sooner). */
    public static final int BATCH_SIZE = ContentWriter.BATCH_SIZE;

    private final Airlock airlock;

    public Ingest(Airlock airlock) {
        this.airlock = requireNonNull(airlock, "airlock");
    }

    /**
     * Runs {@code work} with a sink for {@code repository} and commits what it gave as one new
     * version. Failures come out as {@link AirlockException} (those the plugin's own code throws
     * pass through unchanged); nothing is changed then.
     */
    public IngestResult run(String repository, Mode mode, ProgressListener progress, Consumer<IngestSink> work) {
        requireNonNull(repository, "repository");
        requireNonNull(mode, "mode");
        requireNonNull(progress, "progress");
        requireNonNull(work, "work");
        String what = "ingest into " + repository;
        // One batch for the whole ingest: if anything fails (an Error too), the files it stored go.
        return Cancellation.guard(what, () -> airlock.withArtifactBatch(artifacts -> airlock.inTransaction(session -> {
            VersionDraft draft = airlock.repositories().draft(session, repository,
                    mode == Mode.ADD ? VersionDraft.Mode.MODIFY : VersionDraft.Mode.REPLACE, OptionalInt.empty());
            Run run = new Run(session, draft, artifacts, progress, what);
            work.accept(run);
            run.finish();
            if (mode == Mode.ADD) {
                draft.addReferenced();
            }
            artifacts.sync();
            Optional<RepositoryVersion> version = draft.commit();
            return new IngestResult(version, run.given, run.created);
        })));
    }

    /** A given unit waiting to be written, with its files stored and its references still to resolve. */
    private record Pending(Content unit, List<UnitFile> files, List<Target> targets) {
    }

    /**
     * A reference of a pending unit: the attribute, the referenced type and either the referenced
     * unit's natural-key digest or, for a Hibernate proxy, its id.
     */
    private record Target(ReferenceAttribute attribute, String type, String digest, UUID id, String described) {
    }

    /**
     * The sink of one ingest. {@link #add} and {@link #flush} are called from the thread running the
     * ingest; {@link #store} may also be called from one other thread (a reader storing files ahead).
     */
    private final class Run implements IngestSink {

        private final Session session;
        private final VersionDraft draft;
        private final ArtifactBatch artifacts;
        private final ProgressListener progress;
        private final String what;
        private final Repository repository;
        private final Map<String, List<ReferenceAttribute>> referencesByType = new HashMap<>();
        /** Natural-key digest → id of every unit stored by this ingest or found in the installation. */
        private final Map<String, UUID> ids = new HashMap<>();
        /** Ids of units stored by this ingest or found in the installation for a reference by id (a proxy). */
        private final java.util.Set<UUID> existing = new java.util.HashSet<>();
        private final List<Pending> pending = new ArrayList<>();
        private final List<Pending> deferred = new ArrayList<>();
        /** Types some reference points to: only their units' ids are remembered (see {@link #ids}). */
        private final java.util.Set<String> referencedTypes;
        /** Taken around every artifact write: {@link #store} may be called from a second thread. */
        private final Object storing = new Object();
        private long given;
        private long created;
        private volatile boolean finished;

        Run(Session session, VersionDraft draft, ArtifactBatch artifacts, ProgressListener progress, String what) {
            this.session = session;
            this.draft = draft;
            this.artifacts = artifacts;
            this.progress = progress;
            this.what = what;
            this.repository = draft.repository();
            this.referencedTypes = airlock.plugins().contentTypes().stream()
                    .flatMap(type -> airlock.plugins().references(type.id()).stream())
                    .map(io.airlock.core.plugin.PluginRegistry.Reference::targetType)
                    .collect(java.util.stream.Collectors.toUnmodifiableSet());
        }

        @Override
        public void add(Content unit, List<IngestFile> files) {
            if (finished) {
                throw new IllegalStateException("the sink of " + what + " is used after its work returned");
            }
            requireNonNull(unit, "unit");
            requireNonNull(files, "files");
            List<UnitFile> stored = new ArrayList<>(files.size());
            List<Target> targets;
            try {
                Cancellation.check(what);
                String type = unit.typeId();
                airlock.plugins().resource(type); // NOT_FOUND for a type no plugin declares
                if (!type.startsWith(repository.family() + ".")) {
                    throw new AirlockException(ErrorCode.CONFLICT, "unit " + describe(unit) + " cannot be added to "
                            + repository.family() + " repository '" + repository.name() + "'");
                }
                targets = targets(unit);
                for (IngestFile file : files) {
                    stored.add(store(unit, file));
                }
            } catch (RuntimeException | Error e) {
                // Streams of files not read yet are the plugin's resources handed over to the sink.
                for (int i = stored.size(); i < files.size(); i++) {
                    files.get(i).stream().ifPresent(in -> {
                        try {
                            in.close();
                        } catch (IOException closing) {
                            e.addSuppressed(closing);
                        }
                    });
                }
                throw e;
            }
            pending.add(new Pending(unit, stored, targets));
            given++;
            if (pending.size() >= BATCH_SIZE) {
                flush();
            }
        }

        @Override
        public void flush() {
            if (finished) {
                throw new IllegalStateException("the sink of " + what + " is used after its work returned");
            }
            if (pending.isEmpty()) {
                return;
            }
            List<Pending> batch = new ArrayList<>(pending);
            pending.clear();
            deferred.addAll(write(batch));
            progress.progress("units", given, -1);
        }

        /** Writes what is pending, then what waited for a referenced unit; refuses what still waits. */
        void finish() {
            finished = true;
            List<Pending> rest = new ArrayList<>(deferred);
            rest.addAll(pending);
            pending.clear();
            deferred.clear();
            List<Pending> waiting = write(rest);
            if (!waiting.isEmpty()) {
                Pending first = waiting.get(0);
                Target missing = first.targets().stream().filter(t -> resolve(t) == null).findFirst().orElseThrow();
                throw new AirlockException(ErrorCode.NOT_FOUND, "unit " + describe(first.unit()) + " refers to "
                        + missing.described() + " (" + missing.attribute().path() + "), which is neither given in this ingest"
                        + " nor in this installation" + (waiting.size() > 1 ? " (" + (waiting.size() - 1)
                        + " more units wait for missing units)" : ""));
            }
            progress.progress("units", given, given);
        }

        /**
         * Writes every unit whose references resolve, in rounds (a unit may refer to one written
         * in the round before); returns the units that still wait for a referenced unit.
         */
        private List<Pending> write(List<Pending> units) {
            List<Pending> waiting = units;
            while (!waiting.isEmpty()) {
                lookUp(waiting);
                List<Pending> ready = new ArrayList<>();
                List<Pending> notYet = new ArrayList<>();
                for (Pending unit : waiting) {
                    (unit.targets().stream().allMatch(t -> resolve(t) != null) ? ready : notYet).add(unit);
                }
                if (ready.isEmpty()) {
                    return notYet;
                }
                save(ready);
                waiting = notYet;
            }
            return List.of();
        }

        /** Finds in the installation the referenced units not known yet, with one query per 500 keys. */
        private void lookUp(List<Pending> units) {
            List<String> unknown = new ArrayList<>();
            List<UUID> unknownIds = new ArrayList<>();
            for (Pending unit : units) {
                for (Target target : unit.targets()) {
                    if (target.digest() != null && !ids.containsKey(target.digest())) {
                        unknown.add(target.digest());
                    } else if (target.id() != null && !existing.contains(target.id())) {
                        unknownIds.add(target.id());
                    }
                }
            }
            List<UUID> distinctIds = unknownIds.stream().distinct().toList();
            for (int from = 0; from < distinctIds.size(); from += 500) {
                existing.addAll(session.createSelectionQuery("select c.id from Content c where c.id in :ids", UUID.class)
                        .setParameter("ids", distinctIds.subList(from, Math.min(distinctIds.size(), from + 500)))
                        .getResultList());
            }
            if (!unknown.isEmpty()) {
                session.flush();
                ids.putAll(session.doReturningWork(c -> ContentWriter.lookupByKey(c,
                        "select key_digest, id from content where key_digest in ", unknown.stream().distinct().toList())));
            }
        }

        private UUID resolve(Target target) {
            if (target.id() != null) {
                return existing.contains(target.id()) ? target.id() : null;
            }
            return ids.get(target.digest());
        }

        private void save(List<Pending> units) {
            List<NewUnit> newUnits = new ArrayList<>(units.size());
            for (Pending unit : units) {
                Cancellation.check(what);
                for (Target target : unit.targets()) {
                    Class<? extends Content> entity = airlock.plugins().contentType(target.type()).orElseThrow().entityClass();
                    target.attribute().set(unit.unit(), session.getReference(entity, resolve(target)));
                }
                newUnits.add(new NewUnit(unit.unit(), unit.files()));
            }
            ContentWriter.Saved saved = airlock.contentWriter().save(session, newUnits);
            for (int i = 0; i < units.size(); i++) {
                if (referencedTypes.contains(units.get(i).unit().typeId())) {
                    ids.put(units.get(i).unit().keyDigest(), saved.ids().get(i));
                    existing.add(saved.ids().get(i));
                }
            }
            created += saved.created();
            draft.add(saved.ids());
        }

        /** The references of a unit, each named by the referenced unit's natural key (or id, for a proxy). */
        private List<Target> targets(Content unit) {
            List<ReferenceAttribute> attributes = referencesByType.computeIfAbsent(unit.typeId(),
                    t -> ReferenceAttribute.of(airlock.sessionFactory(), airlock.plugins(), t));
            if (attributes.isEmpty()) {
                return List.of();
            }
            List<Target> targets = new ArrayList<>(attributes.size());
            for (ReferenceAttribute attribute : attributes) {
                Object value = attribute.get(unit);
                if (value == null) {
                    continue;
                }
                if (value instanceof HibernateProxy proxy) {
                    UUID id = (UUID) proxy.getHibernateLazyInitializer().getIdentifier();
                    targets.add(new Target(attribute, attribute.targetType(), null, id, attribute.targetType() + " " + id));
                    continue;
                }
                Content target = (Content) value;
                try {
                    String digest = target.keyDigest();
                    if (digest == null) {
                        digest = naturalKey(airlock.plugins().resource(target.typeId()), target).digest();
                    }
                    targets.add(new Target(attribute, target.typeId(), digest, null, describe(target)));
                } catch (AirlockException e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw new AirlockException(ErrorCode.INVALID_INPUT, "unit " + describe(unit) + ": the unit its "
                            + attribute.path() + " refers to has no valid natural key: " + e.getMessage(), e);
                }
            }
            return targets;
        }

        @Override
        public IngestFile store(IngestFile file) {
            requireNonNull(file, "file");
            if (finished) {
                throw new IllegalStateException("the sink of " + what + " is used after its work returned");
            }
            if (file.onDemand() || file.storedArtifact().isPresent()) {
                return file;
            }
            return IngestFile.stored(file.relativePath(), put(file, "file '" + RelativePaths.printable(file.relativePath()) + "'"));
        }

        private UnitFile store(Content unit, IngestFile file) {
            String path = RelativePaths.check(file.relativePath(), "file of " + describe(unit));
            if (file.onDemand()) {
                return new UnitFile(path, Optional.empty(), file.remote());
            }
            if (file.storedArtifact().isPresent()) {
                return new UnitFile(path, file.storedArtifact());
            }
            return new UnitFile(path, Optional.of(put(file, "file '" + RelativePaths.printable(path) + "' of " + describe(unit))));
        }

        private StoredArtifact put(IngestFile file, String where) {
            try (InputStream in = file.file().isPresent() ? Files.newInputStream(file.file().get()) : file.stream().get()) {
                Cancellation.check(what); // inside: a stream handed over is closed even when cancelled
                synchronized (storing) {
                    return artifacts.put(in, file.sha256());
                }
            } catch (IOException e) {
                throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read " + where
                        + (file.file().isPresent() ? " (" + file.file().get() + ")" : "") + ": " + e.getMessage(), e);
            } catch (AirlockException e) {
                if (e.code() == ErrorCode.CHECKSUM_MISMATCH || e.code() == ErrorCode.INVALID_INPUT) {
                    throw new AirlockException(e.code(), where + ": " + e.getMessage(), e);
                }
                throw e;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <C extends Content> io.airlock.spi.ContentKey naturalKey(ContentResource<C> resource, Content unit) {
        return resource.naturalKey((C) unit);
    }

    /** {@code TYPE:LABEL}, or the type alone when the unit cannot tell its label yet. */
    static String describe(Content unit) {
        String label;
        try {
            label = unit.label();
        } catch (RuntimeException e) {
            label = null;
        }
        return RelativePaths.printable(label == null ? unit.typeId() : unit.typeId() + ":" + label);
    }
}
