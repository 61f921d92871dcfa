package io.airlock.spi.copy;

/**
 * A plugin's copy rules: given the units selected for each source → destination pair, what else
 * must come along (children such as an advisory's packages, and dependencies) and which
 * dependencies nothing could satisfy. Offered through {@link io.airlock.spi.ContentPlugin#copyPolicy()};
 * a family without one copies exactly the selected units.
 *
 * <p>A policy must be deterministic: the same problem over the same data gives the same plan,
 * whatever order the database returns rows in.
 */
@FunctionalInterface
public interface CopyPolicy {

    /** Plans one request's pairs of this plugin's family. Reads only; never writes. */
    CopyPlan plan(CopyProblem problem);
}
