package io.airlock.testing.kit;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import io.airlock.core.Airlock;
import io.airlock.core.archive.Json;
import io.airlock.core.content.ContentFiles;
import io.airlock.core.content.ContentWriter.UnitFile;
import io.airlock.core.copy.CopyEngine;
import io.airlock.core.copy.CopyRequest;
import io.airlock.core.copy.CopyResult;
import io.airlock.core.export.ExportEngine;
import io.airlock.core.export.ExportRequest;
import io.airlock.core.imports.ImportEngine;
import io.airlock.core.imports.ImportRequest;
import io.airlock.core.imports.ImportResult;
import io.airlock.core.ingest.Ingest;
import io.airlock.core.ingest.IngestResult;
import io.airlock.core.ingest.IngestSink;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.plugin.PluginRegistry;
import io.airlock.core.repository.VersionRef;
import io.airlock.spi.Content;
import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ContentResource;
import io.airlock.spi.ContentType;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.hibernate.Session;
import org.hibernate.engine.spi.SessionFactoryImplementor;

/**
 * Checks a content plugin against Airlock's engines, as its own tests would have to otherwise:
 *
 * <ol>
 *   <li>the sample units, given through the {@linkplain Ingest ingest API}, make a version holding at
 *       least one unit of each of the plugin's types;</li>
 *   <li>giving the sample again (new instances) changes nothing: natural-key digests are stable;</li>
 *   <li>the version exported and imported into a second installation has every unit with the same
 *       natural-key digest, the same fields and references (as the plugin's resource writes them),
 *       the same files and the same artifact bytes;</li>
 *   <li>importing the same archive again changes nothing;</li>
 *   <li>copying one unit of each type into an empty repository brings every unit it refers to.</li>
 * </ol>
 *
 * <p>Runs on a fresh H2 database, or on PostgreSQL when {@code AIRLOCK_TEST_JDBC_URL} names one (see
 * {@link TestDatabase}). A failed check is an {@link AssertionError} saying which step and unit.
 *
 * <pre>{@code
 * PluginContract.of(ExamplePlugin::new)
 *         .sample(sink -> sink.add(new Project("requests")))
 *         .check();
 * }</pre>
 */
public final class PluginContract {

    private static final String REPOSITORY = "contract";

    private final Supplier<? extends ContentPlugin> plugin;
    private final List<Consumer<IngestSink>> samples = new ArrayList<>();

    private PluginContract(Supplier<? extends ContentPlugin> plugin) {
        this.plugin = plugin;
    }

    /** A contract for the plugin {@code plugin} makes; it is called once per installation the check opens. */
    public static PluginContract of(Supplier<? extends ContentPlugin> plugin) {
        return new PluginContract(requireNonNull(plugin, "plugin"));
    }

    /**
     * Adds sample units: {@code units} gives them (with their files) to an ingest sink. It is
     * called more than once and must give equal units each time, as new instances.
     */
    public PluginContract sample(Consumer<IngestSink> units) {
        samples.add(requireNonNull(units, "units"));
        return this;
    }

    /** Runs every check; throws {@link AssertionError} naming the first that fails. */
    public void check() {
        if (samples.isEmpty()) {
            throw new IllegalStateException("a plugin contract needs sample units");
        }
        try (TestDatabase upstreamDb = TestDatabase.create(); Airlock upstream = open(upstreamDb);
                TestDatabase downstreamDb = TestDatabase.create(); Airlock downstream = open(downstreamDb)) {
            String family = upstream.plugins().plugins().get(0).name();
            upstream.repositories().create(REPOSITORY, family, "plugin contract");

            IngestResult first = ingest(upstream);
            assertThat(first.version()).as("the sample makes a version").isPresent();
            Map<String, String> source = describe(upstream, upstream.repositories().version(VersionRef.latest(REPOSITORY)));
            Set<String> types = new TreeSet<>();
            source.keySet().forEach(k -> types.add(k.substring(0, k.indexOf(':'))));
            for (ContentType<?> type : upstream.plugins().contentTypes()) {
                assertThat(types).as("the sample has a unit of every type of the plugin").contains(type.id());
            }

            IngestResult again = ingest(upstream);
            assertThat(again.created()).as("units created when the same sample is given again (natural-key digests unstable?)")
                    .isZero();
            assertThat(again.version()).as("a new version when the same sample is given again").isEmpty();

            Path toc = new ExportEngine(upstream).export(ExportRequest.full(List.of(VersionRef.latest(REPOSITORY)),
                    upstreamDb.path("exports")).withName("contract").allowingOnDemand(), ProgressListener.NONE).toc().orElseThrow();
            new ImportEngine(downstream).importArchive(ImportRequest.of(toc).creatingRepositories(), ProgressListener.NONE);
            Map<String, String> imported = describe(downstream, downstream.repositories().version(VersionRef.latest(REPOSITORY)));
            assertThat(imported).as("units (digest, fields, references, files) after export and import").isEqualTo(source);

            ImportResult reimport = new ImportEngine(downstream).importArchive(ImportRequest.of(toc), ProgressListener.NONE);
            assertThat(reimport.repositories()).as("versions made by importing the same archive again")
                    .allSatisfy(r -> assertThat(r.version()).isEmpty());
            assertThat(reimport.created().values()).as("units created by importing the same archive again")
                    .allSatisfy(n -> assertThat(n).isZero());
            assertThat(reimport.artifactsWritten()).as("artifacts written by importing the same archive again").isZero();

            checkCopies(upstream, family, source.keySet());
        }
    }

    private Airlock open(TestDatabase db) {
        return Airlock.builder()
                .jdbcUrl(db.url())
                .credentials(db.user(), db.password())
                .storage(db.path("artifacts"))
                .discoverPlugins(false)
                .plugin(plugin.get())
                .build();
    }

    private IngestResult ingest(Airlock airlock) {
        return airlock.ingest(REPOSITORY, Ingest.Mode.MIRROR, ProgressListener.NONE, sink -> samples.forEach(s -> s.accept(sink)));
    }

    /** Copies the first unit of each type alone; the new version must hold it and every unit it refers to. */
    private static void checkCopies(Airlock airlock, String family, Set<String> names) {
        Map<String, String> firstOfType = new TreeMap<>();
        for (String name : names) {
            firstOfType.putIfAbsent(name.substring(0, name.indexOf(':')), name);
        }
        int n = 0;
        for (String name : firstOfType.values()) {
            String destination = "contract-copy-" + n++;
            airlock.repositories().create(destination, family, null);
            CopyResult result = new CopyEngine(airlock).copy(CopyRequest.of(List.of(
                    CopyRequest.Entry.whole(REPOSITORY, destination).withContent(name))));
            assertThat(result.unresolved()).as("unresolved names copying " + name).isEmpty();
            RepositoryVersion copied = airlock.repositories().version(VersionRef.latest(destination));
            Set<String> held = describe(airlock, copied).keySet();
            assertThat(held).as("units copying " + name + " brought").contains(name).containsAll(referencedBy(airlock, copied));
        }
    }

    /** {@code TYPE:LABEL} of every unit the units of a version refer to. */
    private static Set<String> referencedBy(Airlock airlock, RepositoryVersion version) {
        Set<String> targets = new TreeSet<>();
        PluginRegistry plugins = airlock.plugins();
        airlock.inRolledBackTransaction(session -> {
            for (ContentType<?> type : plugins.contentTypes()) {
                List<PluginRegistry.Reference> references = plugins.references(type.id());
                if (references.isEmpty()) {
                    continue;
                }
                var persister = airlock.sessionFactory().unwrap(SessionFactoryImplementor.class).getMappingMetamodel()
                        .getEntityDescriptor(type.entityClass());
                airlock.repositories().scanContent(session, version, type.entityClass(), 500, batch -> {
                    for (Content unit : batch) {
                        for (PluginRegistry.Reference reference : references) {
                            Object target = persister.getPropertyValue(org.hibernate.Hibernate.unproxy(unit), reference.attributePath());
                            if (target instanceof Content c) {
                                targets.add(c.typeId() + ":" + c.label());
                            }
                        }
                    }
                });
            }
            return null;
        });
        return targets;
    }

    /**
     * Every unit of a version as {@code TYPE:LABEL} → its natural-key digest, its row as the
     * plugin's resource exports it (references as the referenced units' natural keys) and its files
     * with their SHA-256 (read back from the artifact store).
     */
    private static Map<String, String> describe(Airlock airlock, RepositoryVersion version) {
        Map<String, String> units = new TreeMap<>();
        airlock.inRolledBackTransaction(session -> {
            for (ContentType<?> type : airlock.plugins().contentTypes()) {
                describeType(airlock, session, version, type, units);
            }
            return null;
        });
        return units;
    }

    private static <T extends Content> void describeType(Airlock airlock, Session session, RepositoryVersion version,
            ContentType<T> type, Map<String, String> units) {
        @SuppressWarnings("unchecked")
        ContentResource<T> resource = (ContentResource<T>) airlock.plugins().resource(type.id());
        airlock.repositories().scanContent(session, version, type.entityClass(), 500, batch -> {
            Map<UUID, List<UnitFile>> files = ContentFiles.of(session, batch.stream().map(Content::id).toList());
            for (T unit : batch) {
                String digest = unit.keyDigest();
                assertThat(resource.naturalKey(unit).digest()).as("natural-key digest of " + unit.typeId() + ":" + unit.label()
                        + " computed again").isEqualTo(digest);
                StringBuilder text = new StringBuilder("digest=").append(digest).append(" row=").append(row(resource, unit))
                        .append(" files=");
                List<String> named = new ArrayList<>();
                for (UnitFile file : files.getOrDefault(unit.id(), List.of())) {
                    named.add(file.relativePath() + "=" + file.artifact().map(a -> storedSha256(airlock, a.sha256())).orElse("on demand"));
                }
                named.sort(null);
                units.put(unit.typeId() + ":" + unit.label(), text.append(named).toString());
            }
        });
    }

    private static <T extends Content> String row(ContentResource<T> resource, T unit) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = Json.mapper().getFactory().createGenerator(out)) {
            resource.writeRow(unit, generator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The SHA-256 of the bytes the store holds for an artifact (not what its row says). */
    private static String storedSha256(Airlock airlock, String sha256) {
        try (InputStream in = new DigestInputStream(airlock.artifacts().open(sha256), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
