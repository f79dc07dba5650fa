package dev.kedaotel.query.standing;

import java.util.function.LongSupplier;

/**
 * Settings of {@link StandingQueries}.
 *
 * @param ageingResolutionMs how often subscribed queries are re-evaluated without ingest (samples
 *     leaving the window change answers), and how old a cached answer may be before {@code current()}
 *     re-evaluates; must be positive
 * @param clockMs the evaluation clock; null means the store's clock
 */
public record StandingQueriesConfig(long ageingResolutionMs, LongSupplier clockMs) {
    public static final long DEFAULT_AGEING_RESOLUTION_MS = 1_000;

    public StandingQueriesConfig {
        if (ageingResolutionMs <= 0) {
            throw new IllegalArgumentException("ageingResolutionMs must be positive, got " + ageingResolutionMs);
        }
    }

    public static StandingQueriesConfig defaults() {
        return new StandingQueriesConfig(DEFAULT_AGEING_RESOLUTION_MS, null);
    }
}
