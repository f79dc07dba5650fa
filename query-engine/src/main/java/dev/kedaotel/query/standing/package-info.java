/**
 * Standing queries: queries compiled once, kept while referenced, re-evaluated when the data they
 * read changes or ages, with change notification to subscribers.
 *
 * <p>Architecturally part of query-engine (it depends only on {@code dev.kedaotel.query} and
 * {@code dev.kedaotel.tsdb}, never on the scaler); it lives here until the lead moves the package.
 * Entry point: {@link dev.kedaotel.query.standing.StandingQueries#start}.
 */
package dev.kedaotel.query.standing;
