package io.airlock.core.copy;

import static java.util.Objects.requireNonNull;

import io.airlock.core.Airlock;
import io.airlock.spi.Cancellation;
import io.airlock.spi.ProgressListener;
import java.util.function.Function;
import org.hibernate.Session;

/**
 * Copies content between repository versions: many source → destination entries in one request,
 * with each content family's {@link io.airlock.spi.copy.CopyPolicy} (if it has one) bringing
 * children and dependencies along.
 *
 * <ul>
 * <li>The whole request is checked before anything changes; every problem is reported at once in
 *     one {@link io.airlock.spi.AirlockException} whose message names each problem's place
 *     ({@code config[1].content[3]: …}).
 * <li>Each destination gets one new version (entries sharing a destination are merged), built on
 *     {@code dest_base_version} or the latest; none when its content would not change.
 * <li>All destinations change in one transaction, or none does. A dry run does the same work and
 *     rolls it back.
 * <li>A whole-version copy of a family without a policy runs as set-based SQL: no unit is loaded.
 * </ul>
 *
 * <pre>{@code
 * CopyResult result = new CopyEngine(airlock).copy(CopyRequest.parse(Path.of("copy.yaml")));
 * }</pre>
 */
public final class CopyEngine {

    private final Airlock airlock;

    public CopyEngine(Airlock airlock) {
        this.airlock = requireNonNull(airlock, "airlock");
    }

    /** Runs the request (or, when it is a dry run, plans and checks it and changes nothing). */
    public CopyResult copy(CopyRequest request) {
        return copy(request, ProgressListener.NONE);
    }

    /**
     * Runs the request, reporting progress: phase {@code plan} (content families whose copy policy
     * has planned), {@code entries} (request entries staged) and {@code destinations} (new versions
     * committed to their drafts), each with its total. Interrupting the thread cancels it within
     * about a second (or when a database statement it waits on returns): it ends with
     * {@link io.airlock.spi.ErrorCode#CANCELLED} and commits nothing.
     */
    public CopyResult copy(CopyRequest request, ProgressListener progress) {
        requireNonNull(request, "request");
        requireNonNull(progress, "progress");
        Function<Session, CopyResult> work = session -> new CopyRun(airlock, session, request, progress).run();
        return Cancellation.guard("copy", () -> request.dryRun() ? airlock.inRolledBackTransaction(work) : airlock.inTransaction(work));
    }
}
