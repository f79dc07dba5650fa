package dev.kedaotel.server.ui;

import dev.kedaotel.model.OtlpTranslationStrategy;
import dev.kedaotel.model.TimeSource;
import dev.kedaotel.query.QueryEngine;
import dev.kedaotel.query.standing.StandingQueries;
import dev.kedaotel.receiver.ReceiverStats;
import dev.kedaotel.scaler.ExternalScalerService;
import dev.kedaotel.server.http.ReadinessReport;
import dev.kedaotel.tsdb.TimeSeriesStore;

import java.util.function.Supplier;

/**
 * What the pages read, handed over by the composition root: the modules' read-only snapshot APIs and
 * counters, the query engine (queries run on the HTTP query lane, within {@code queryTimeoutMs}), and the
 * settings the pages explain.
 *
 * @param readiness the service's readiness and warm-up, as {@code /readyz} reports it
 * @param retentionMs the window: the span of every chart and the kedify compiler's window
 * @param queryTimeoutMs {@code QUERY_TIMEOUT_SECONDS}: one explorer request's deadline, and the whole status
 *     page's budget for its sparkline queries
 * @param namespaceLabel {@code SCALED_OBJECT_NAMESPACE_LABEL}, or "" when tenancy is off
 * @param naming how OTLP names become series names, so kedify names find them as the scaler's do
 */
public record UiSources(ExternalScalerService scaler, StandingQueries standing, QueryEngine engine, TimeSeriesStore store,
                        ReceiverStats receiver, IngestRate ingest, Supplier<ReadinessReport> readiness, TimeSource time,
                        long retentionMs, long queryTimeoutMs, String namespaceLabel, OtlpTranslationStrategy naming,
                        String version) {
}
