package dev.kedaotel.query.standing;

import dev.kedaotel.model.TimeSource;

import java.util.concurrent.ThreadFactory;

/**
 * Settings of {@link StandingQueries}, including what it takes from the composition root: the time
 * source and the factory of its one evaluator thread (it creates no thread of its own choosing).
 *
 * @param ageingResolutionMs how often subscribed queries are re-evaluated without ingest (samples
 *     leaving the window change answers), and how old a cached answer may be before {@code current()}
 *     re-evaluates; must be positive
 * @param time the evaluation clock (wall time) and the ageing period's clock (monotonic); null means
 *     the store's time source
 * @param evaluatorThreads makes the evaluator thread; null means a daemon thread named
 *     {@code standing-query-evaluator}
 */
public record StandingQueriesConfig(long ageingResolutionMs, TimeSource time, ThreadFactory evaluatorThreads) {
    public static final long DEFAULT_AGEING_RESOLUTION_MS = 1_000;

    public StandingQueriesConfig {
        if (ageingResolutionMs <= 0) {
            throw new IllegalArgumentException("ageingResolutionMs must be positive, got " + ageingResolutionMs);
        }
    }

    /** The store's time source and a default evaluator thread. */
    public StandingQueriesConfig(long ageingResolutionMs, TimeSource time) {
        this(ageingResolutionMs, time, null);
    }

    public static StandingQueriesConfig defaults() {
        return new StandingQueriesConfig(DEFAULT_AGEING_RESOLUTION_MS, null, null);
    }

    ThreadFactory threadsOrDefault() {
        if (evaluatorThreads != null) {
            return evaluatorThreads;
        }
        return r -> {
            Thread t = new Thread(r, "standing-query-evaluator");
            t.setDaemon(true);
            return t;
        };
    }
}
