package io.airlock.core.copy;

import static java.util.Objects.requireNonNull;

import io.airlock.spi.copy.CopyPlan;
import java.util.List;
import java.util.Optional;

/**
 * What a copy did (or, for a dry run, would do).
 *
 * @param destinations each destination repository, in the order the request first names it
 * @param unresolved requirements no source or destination satisfied, as the copy policies reported them
 * @param dryRun true when nothing was changed
 */
public record CopyResult(List<Destination> destinations, List<CopyPlan.Unresolved> unresolved, boolean dryRun) {

    public CopyResult {
        destinations = List.copyOf(destinations);
        unresolved = List.copyOf(unresolved);
    }

    /**
     * One destination repository.
     *
     * @param repository its name
     * @param base the version the new one was built from
     * @param version the version created (for a dry run: that would be created); empty when the
     *     content would equal the latest version's
     * @param added the units that were not in the base version, sorted by type and label
     */
    public record Destination(String repository, int base, Optional<Integer> version, List<Added> added) {
        public Destination {
            requireNonNull(repository, "repository");
            requireNonNull(version, "version");
            added = List.copyOf(added);
        }

        /** How many added units came along for the reason of this kind. */
        public long count(CopyPlan.Reason.Kind kind) {
            return added.stream().filter(a -> a.reason().kind() == kind).count();
        }
    }

    /** A unit added to a destination, and why: {@code requested}, {@code child of X}, {@code dependency of X via CAP}. */
    public record Added(String type, String label, CopyPlan.Reason reason) {
        public Added {
            requireNonNull(type, "type");
            requireNonNull(label, "label");
            requireNonNull(reason, "reason");
        }

        @Override
        public String toString() {
            return type + ":" + label + " (" + reason + ")";
        }
    }
}
