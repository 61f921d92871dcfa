package io.airlock.spi.copy;

import java.util.List;
import org.hibernate.Session;

/** What a {@link CopyPolicy} is asked to plan: the pairs of one family in one copy request. */
public interface CopyProblem {

    /** The session of the copy's transaction, for reading units. */
    Session session();

    /** The pairs, in request order. */
    List<CopyPair> pairs();

    CopyOptions options();
}
