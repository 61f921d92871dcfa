package io.airlock.core.copy;

import io.airlock.core.Airlock;
import io.airlock.core.copy.CopyRequest.ContentName;
import io.airlock.core.copy.CopyRequest.Entry;
import io.airlock.core.model.Repository;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.repository.VersionRef;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ContentType;
import io.airlock.spi.ErrorCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Checks a request against the database before anything is changed, and resolves it: every
 * repository, version and named unit. Gathers every problem and throws them together.
 */
final class Validator {

    /** A unit the request names, found in its source. */
    record Named(ContentName name, UUID id) {
    }

    /**
     * An entry resolved against the database.
     *
     * @param index position in the request
     * @param selection the named units, or empty for the whole source version
     */
    record Resolved(int index, Entry entry, Repository source, RepositoryVersion sourceVersion, Repository destination,
            Optional<List<Named>> selection) {

        String family() {
            return source.family();
        }
    }

    private final Airlock airlock;
    private final Session session;
    private final CopyRequest request;
    private final Problems problems;
    private final Map<String, Optional<Repository>> repositories = new HashMap<>();

    Validator(Airlock airlock, Session session, CopyRequest request) {
        this.airlock = airlock;
        this.session = session;
        this.request = request;
        this.problems = new Problems(request.origin());
    }

    List<Resolved> validate() {
        int size = request.config().size();
        Repository[] sources = new Repository[size];
        RepositoryVersion[] sourceVersions = new RepositoryVersion[size];
        Repository[] destinations = new Repository[size];
        Map<String, Integer> baseGivenBy = new HashMap<>();

        for (int i = 0; i < size; i++) {
            Entry entry = request.config().get(i);
            String place = "config[" + i + "].";
            sources[i] = repository(entry.source().repository(), i, Problems.SOURCE, place + RequestParser.SOURCE);
            if (sources[i] != null) {
                sourceVersions[i] = version(entry.source(), i, Problems.SOURCE, place + RequestParser.SOURCE, true);
            }
            destinations[i] = repository(entry.destination(), i, Problems.DESTINATION, place + RequestParser.DEST);
            OptionalInt base = entry.destinationBase();
            if (destinations[i] != null && base.isPresent()) {
                version(VersionRef.of(entry.destination(), base.getAsInt()), i, Problems.BASE, place + RequestParser.BASE, false);
            }
            if (base.isPresent()) {
                Integer first = baseGivenBy.putIfAbsent(entry.destination(), i);
                if (first != null) {
                    int other = request.config().get(first).destinationBase().getAsInt();
                    if (other != base.getAsInt()) {
                        problems.at(i, Problems.BASE, ErrorCode.INVALID_INPUT, place + RequestParser.BASE + ": "
                                + base.getAsInt() + " differs from " + other + " given by config[" + first
                                + "] for the same destination '" + entry.destination() + "' (its entries make one version)");
                    }
                }
            }
            if (sources[i] != null && destinations[i] != null && !sources[i].family().equals(destinations[i].family())) {
                problems.at(i, Problems.ENTRY, ErrorCode.CONFLICT, "config[" + i + "]: source '" + sources[i].name()
                        + "' holds " + sources[i].family() + " content and destination '" + destinations[i].name()
                        + "' holds " + destinations[i].family() + " content");
            }
        }

        List<Optional<List<Named>>> selections = selections(sources, sourceVersions);
        problems.throwIfAny();
        List<Resolved> resolved = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            resolved.add(new Resolved(i, request.config().get(i), sources[i], sourceVersions[i], destinations[i],
                    selections.get(i)));
        }
        return resolved;
    }

    /** The named units of each entry, looked up in bulk per source version and type. */
    private List<Optional<List<Named>>> selections(Repository[] sources, RepositoryVersion[] versions) {
        // (source version, type) → labels wanted
        Map<UUID, Map<String, Set<String>>> wanted = new LinkedHashMap<>();
        Map<UUID, RepositoryVersion> versionsById = new HashMap<>();
        for (int i = 0; i < versions.length; i++) {
            Optional<List<ContentName>> content = request.config().get(i).content();
            if (content.isEmpty()) {
                continue;
            }
            List<ContentName> names = content.get();
            for (int j = 0; j < names.size(); j++) {
                ContentName name = names.get(j);
                if (known(i, j, name, sources[i]) && versions[i] != null) {
                    versionsById.put(versions[i].id(), versions[i]);
                    wanted.computeIfAbsent(versions[i].id(), v -> new LinkedHashMap<>())
                            .computeIfAbsent(name.type(), t -> new LinkedHashSet<>()).add(name.label());
                }
            }
        }
        Map<UUID, Map<String, Map<String, UUID>>> found = new HashMap<>();
        wanted.forEach((versionId, byType) -> byType.forEach((type, labels) -> found
                .computeIfAbsent(versionId, v -> new HashMap<>())
                .put(type, Membership.findByLabel(session, versionsById.get(versionId), type, labels))));

        List<Optional<List<Named>>> selections = new ArrayList<>();
        for (int i = 0; i < versions.length; i++) {
            Optional<List<ContentName>> content = request.config().get(i).content();
            if (content.isEmpty() || versions[i] == null) {
                selections.add(Optional.empty());
                continue;
            }
            List<Named> named = new ArrayList<>();
            Set<UUID> seen = new java.util.HashSet<>();
            List<ContentName> names = content.get();
            for (int j = 0; j < names.size(); j++) {
                ContentName name = names.get(j);
                Map<String, UUID> ofType = found.getOrDefault(versions[i].id(), Map.of()).get(name.type());
                if (ofType == null) {
                    continue; // an unknown or foreign type, reported already
                }
                UUID id = ofType.get(name.label());
                if (id == null) {
                    problems.at(i, Problems.CONTENT + j, ErrorCode.NOT_FOUND, "config[" + i + "]." + RequestParser.CONTENT
                            + "[" + j + "]: " + name + " is not in repository " + sources[i].name() + "@" + versions[i].number());
                } else if (seen.add(id)) {
                    named.add(new Named(name, id));
                }
            }
            selections.add(Optional.of(List.copyOf(named)));
        }
        return selections;
    }

    /** Whether the name's type is installed and belongs in the source's family (when known); a problem otherwise. */
    private boolean known(int i, int j, ContentName name, Repository source) {
        String place = "config[" + i + "]." + RequestParser.CONTENT + "[" + j + "]: ";
        Optional<ContentType<?>> type = airlock.plugins().contentType(name.type());
        if (type.isEmpty()) {
            problems.at(i, Problems.CONTENT + j, ErrorCode.NOT_FOUND, place + "unknown content type '" + name.type()
                    + "' in " + name);
            return false;
        }
        if (source != null && !type.get().family().equals(source.family())) {
            problems.at(i, Problems.CONTENT + j, ErrorCode.INVALID_INPUT, place + name + " cannot be in "
                    + source.family() + " repository '" + source.name() + "' (its type belongs to " + type.get().family() + ")");
            return false;
        }
        return true;
    }

    private Repository repository(String name, int entry, int position, String place) {
        Optional<Repository> found = repositories.computeIfAbsent(name, n -> airlock.repositories().find(session, n));
        if (found.isEmpty()) {
            problems.at(entry, position, ErrorCode.NOT_FOUND, place + ": no repository named '" + name + "'");
            return null;
        }
        return found.get();
    }

    /** The version, {@code read}: locked against deletion until the copy ends (a source). */
    private RepositoryVersion version(VersionRef ref, int entry, int position, String place, boolean read) {
        try {
            return read ? airlock.repositories().versionForReading(session, ref) : airlock.repositories().version(session, ref);
        } catch (AirlockException e) {
            if (e.code() == ErrorCode.BUSY || e.code() == ErrorCode.CANCELLED) {
                throw e; // not a problem of the request
            }
            problems.at(entry, position, e.code(), place + ": " + e.getMessage());
            return null;
        }
    }
}
