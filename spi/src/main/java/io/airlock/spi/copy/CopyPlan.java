package io.airlock.spi.copy;

import static java.util.Objects.requireNonNull;

import io.airlock.spi.Content;
import java.util.List;
import java.util.Optional;

/**
 * A policy's answer: the units to add beyond the selection, each to the destination of the pair
 * whose source it came from, and the requirements nothing satisfied.
 */
public record CopyPlan(List<Addition> additions, List<Unresolved> unresolved) {

    public CopyPlan {
        additions = List.copyOf(additions);
        unresolved = List.copyOf(unresolved);
    }

    public static final CopyPlan EMPTY = new CopyPlan(List.of(), List.of());

    /**
     * A unit from a pair's source that goes to that pair's destination, and why. {@code pair} is the
     * pair's {@link CopyPair#index()} (its position in the request), and must be one of the pairs the
     * policy was given. A unit already in the destination changes nothing.
     */
    public record Addition(int pair, Content unit, Reason reason) {
        public Addition {
            requireNonNull(unit, "unit");
            requireNonNull(reason, "reason");
        }
    }

    /**
     * Why a unit is copied. {@code of} names the unit ({@code TYPE:LABEL}) that brought it;
     * {@code via} the capability through which a dependency was found.
     */
    public record Reason(Kind kind, Optional<String> of, Optional<String> via) {
        /** From the strongest reason to the weakest: a unit brought for several reasons shows the strongest. */
        public enum Kind { REQUESTED, CHILD, REFERENCED, DEPENDENCY }

        public Reason {
            requireNonNull(kind, "kind");
            requireNonNull(of, "of");
            requireNonNull(via, "via");
        }

        public static final Reason REQUESTED = new Reason(Kind.REQUESTED, Optional.empty(), Optional.empty());

        public static Reason childOf(String parent) {
            return new Reason(Kind.CHILD, Optional.of(parent), Optional.empty());
        }

        /** Brought because {@code referrer} ({@code TYPE:LABEL}) refers to it: a version holds what its units refer to. */
        public static Reason referencedBy(String referrer) {
            return new Reason(Kind.REFERENCED, Optional.of(referrer), Optional.empty());
        }

        public static Reason dependencyOf(String dependent, String capability) {
            return new Reason(Kind.DEPENDENCY, Optional.of(dependent), Optional.of(capability));
        }

        /** {@code requested}, {@code child of X}, {@code referenced by X}, {@code dependency of X via CAPABILITY}. */
        @Override
        public String toString() {
            return switch (kind) {
                case REQUESTED -> "requested";
                case CHILD -> "child of " + of.orElse("?");
                case REFERENCED -> "referenced by " + of.orElse("?");
                case DEPENDENCY -> "dependency of " + of.orElse("?") + via.map(v -> " via " + v).orElse("");
            };
        }
    }

    /** A requirement of {@code unit} ({@code TYPE:LABEL}) that no source or destination satisfies. */
    public record Unresolved(String unit, String requirement) {
        public Unresolved {
            requireNonNull(unit, "unit");
            requireNonNull(requirement, "requirement");
        }
    }
}
