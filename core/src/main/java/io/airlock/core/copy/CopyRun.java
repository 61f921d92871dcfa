package io.airlock.core.copy;

import io.airlock.core.Airlock;
import io.airlock.core.copy.Validator.Named;
import io.airlock.core.copy.Validator.Resolved;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.repository.VersionDraft;
import io.airlock.core.repository.VersionRef;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Cancellation;
import io.airlock.spi.Content;
import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import io.airlock.spi.copy.CopyOptions;
import io.airlock.spi.copy.CopyPair;
import io.airlock.spi.copy.CopyPlan;
import io.airlock.spi.copy.CopyPlan.Reason;
import io.airlock.spi.copy.CopyPolicy;
import io.airlock.spi.copy.CopyProblem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.hibernate.Session;

/**
 * One copy inside one transaction: resolve and check the request, lock the destinations, let each
 * family's policy plan, stage every unit into one draft per destination, commit the drafts. The
 * caller commits or (dry run, failure) rolls back the transaction.
 */
final class CopyRun {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CopyRun.class);

    private final Airlock airlock;
    private final Session session;
    private final CopyRequest request;
    private final ProgressListener progress;

    CopyRun(Airlock airlock, Session session, CopyRequest request, ProgressListener progress) {
        this.airlock = airlock;
        this.session = session;
        this.request = request;
        this.progress = progress;
    }

    /** A destination repository: its entries' draft and what they add to it. */
    private final class Target {
        final String name;
        OptionalInt base = OptionalInt.empty();
        VersionDraft draft;
        VersionView view;
        /** Units not in the base version, by id, with the strongest reason seen. */
        final Map<UUID, CopyResult.Added> added = new HashMap<>();
        /** Units whose presence in the base is not yet known, by id. */
        final Map<UUID, CopyResult.Added> unchecked = new HashMap<>();
        final Set<UUID> additions = new LinkedHashSet<>();

        Target(String name) {
            this.name = name;
        }

        void offer(Map<UUID, CopyResult.Added> into, UUID id, CopyResult.Added unit) {
            into.merge(id, unit, (old, neu) -> neu.reason().kind().compareTo(old.reason().kind()) < 0 ? neu : old);
        }
    }

    CopyResult run() {
        long start = System.nanoTime();
        List<Resolved> entries = new Validator(airlock, session, request).validate();
        checkCancelled();

        Map<String, Target> targets = new LinkedHashMap<>();
        for (Resolved entry : entries) {
            Target target = targets.computeIfAbsent(entry.destination().name(), Target::new);
            if (entry.entry().destinationBase().isPresent()) {
                target.base = entry.entry().destinationBase();
            }
        }
        // Lock the destinations in name order, so that two copies into overlapping sets cannot deadlock.
        for (Target target : new TreeMap<>(targets).values()) {
            checkCancelled();
            target.draft = airlock.repositories().draft(session, target.name, VersionDraft.Mode.MODIFY, target.base);
            RepositoryVersion base = airlock.repositories().version(session, VersionRef.of(target.name, target.draft.base()));
            target.view = new VersionView(airlock.repositories(), session, target.name, base);
        }

        Map<String, List<Pair>> families = new LinkedHashMap<>();
        for (Resolved entry : entries) {
            VersionView source = new VersionView(airlock.repositories(), session, entry.source().name(), entry.sourceVersion());
            Pair pair = new Pair(entry, source, targets.get(entry.destination().name()).view, session, airlock.plugins());
            families.computeIfAbsent(entry.family(), f -> new ArrayList<>()).add(pair);
        }

        Set<CopyPlan.Unresolved> unresolved = new LinkedHashSet<>();
        List<Pair> all = new ArrayList<>();
        int planned = 0;
        for (Map.Entry<String, List<Pair>> family : families.entrySet()) {
            all.addAll(family.getValue());
            Optional<CopyPolicy> policy = airlock.plugins().plugin(family.getKey()).flatMap(ContentPlugin::copyPolicy);
            progress.progress("plan", planned++, families.size());
            checkCancelled();
            if (policy.isEmpty()) {
                continue;
            }
            CopyPlan plan = plan(family.getKey(), policy.get(), family.getValue());
            Map<Integer, Pair> byIndex = new HashMap<>();
            family.getValue().forEach(p -> byIndex.put(p.index(), p));
            for (CopyPlan.Addition addition : plan.additions()) {
                Pair pair = byIndex.get(addition.pair());
                if (pair == null) {
                    throw new AirlockException(ErrorCode.PLUGIN_INVALID, "the copy policy of plugin '" + family.getKey()
                            + "' added " + addition.unit() + " for config[" + addition.pair() + "], which is not one of its pairs");
                }
                Target target = targets.get(pair.entry().destination().name());
                Content unit = addition.unit();
                target.additions.add(unit.id());
                target.offer(target.unchecked, unit.id(), new CopyResult.Added(unit.typeId(), unit.label(), addition.reason()));
            }
            unresolved.addAll(plan.unresolved());
        }
        progress.progress("plan", families.size(), families.size());

        int staged = 0;
        for (Pair pair : all) {
            checkCancelled();
            stage(pair, targets.get(pair.entry().destination().name()));
            progress.progress("entries", ++staged, all.size());
        }

        List<CopyResult.Destination> destinations = new ArrayList<>();
        Map<String, Optional<RepositoryVersion>> created = new HashMap<>();
        for (Target target : new TreeMap<>(targets).values()) {
            checkCancelled();
            target.draft.add(target.additions);
            for (VersionDraft.Referenced referenced : target.draft.addReferenced()) {
                target.offer(target.added, referenced.id(), new CopyResult.Added(referenced.type(), referenced.label(),
                        Reason.referencedBy(referenced.referrer())));
            }
            Set<UUID> present = Membership.present(session, target.view.model(), target.unchecked.keySet());
            target.unchecked.forEach((id, unit) -> {
                if (!present.contains(id)) {
                    target.offer(target.added, id, unit);
                }
            });
            created.put(target.name, target.draft.commit());
            progress.progress("destinations", created.size(), targets.size());
        }
        for (Target target : targets.values()) {
            List<CopyResult.Added> added = new ArrayList<>(target.added.values());
            added.sort(Comparator.comparing(CopyResult.Added::type).thenComparing(CopyResult.Added::label));
            destinations.add(new CopyResult.Destination(target.name, target.draft.base(),
                    created.get(target.name).map(RepositoryVersion::number), added));
        }
        LOG.debug("copy of {} entries into {} destinations in {} ms{}", entries.size(), targets.size(),
                (System.nanoTime() - start) / 1_000_000, request.dryRun() ? " (dry run)" : "");
        return new CopyResult(destinations, List.copyOf(unresolved), request.dryRun());
    }

    static void checkCancelled() {
        Cancellation.check("copy");
    }

    /** Puts the pair's selection into its destination's draft and notes what it adds. */
    private void stage(Pair pair, Target target) {
        Resolved entry = pair.entry();
        if (entry.selection().isEmpty()) {
            // The whole version: staged and listed by SQL, without loading a unit.
            RepositoryVersion source = entry.sourceVersion();
            target.draft.addSelected(Membership.MEMBER_IDS, source.repositoryId(), source.number(), source.number());
            Membership.scanMissing(session, source, target.view.model(), unit -> target.offer(target.added, unit.id(),
                    new CopyResult.Added(unit.type(), unit.label(), Reason.REQUESTED)));
            return;
        }
        List<UUID> ids = new ArrayList<>();
        for (Named named : entry.selection().get()) {
            ids.add(named.id());
            target.offer(target.unchecked, named.id(),
                    new CopyResult.Added(named.name().type(), named.name().label(), Reason.REQUESTED));
        }
        target.draft.add(ids);
    }

    private CopyPlan plan(String family, CopyPolicy policy, List<Pair> pairs) {
        List<CopyPair> view = List.copyOf(pairs);
        CopyOptions options = request.options();
        CopyProblem problem = new CopyProblem() {
            @Override
            public Session session() {
                return session;
            }

            @Override
            public List<CopyPair> pairs() {
                return view;
            }

            @Override
            public CopyOptions options() {
                return options;
            }
        };
        long start = System.nanoTime();
        CopyPlan plan;
        try {
            plan = policy.plan(problem);
        } catch (AirlockException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new AirlockException(ErrorCode.PLUGIN_INVALID, "the copy policy of plugin '" + family + "' failed: " + e, e);
        }
        if (plan == null) {
            throw new AirlockException(ErrorCode.PLUGIN_INVALID, "the copy policy of plugin '" + family + "' returned no plan");
        }
        LOG.debug("{} copy policy: {} additions, {} unresolved in {} ms", family, plan.additions().size(),
                plan.unresolved().size(), (System.nanoTime() - start) / 1_000_000);
        return plan;
    }
}
