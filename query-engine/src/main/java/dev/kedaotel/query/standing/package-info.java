/**
 * Standing queries: queries compiled once, kept while referenced, re-evaluated when the data they
 * read changes or ages, with change notification to subscribers. The scaler keeps one per distinct
 * ScaledObject query; GetMetrics/IsActive read its cached answer and StreamIsActive subscribes to it.
 *
 * <p>Depends only on {@code dev.kedaotel.query} and {@code dev.kedaotel.tsdb}. Entry point:
 * {@link dev.kedaotel.query.standing.StandingQueries#start}; the concurrency design is in that class.
 */
package dev.kedaotel.query.standing;
