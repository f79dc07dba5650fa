package dev.kedaotel.server.metrics;

import dev.kedaotel.receiver.ReceiverStats;
import dev.kedaotel.server.http.QueryObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Latency histograms (Prometheus histograms with fixed {@code le} buckets) of the three request paths users
 * wait on: OTLP Export by transport, KEDA's unary RPCs by {@code rpc}, and PromQL queries of the HTTP API by
 * {@code endpoint}, plus the queries' failures by Prometheus' errorType.
 *
 * <p>Every meter is registered here, up front, one per label set, and the recording methods pick it from an
 * array or a switch: no tag objects, no registry lookup and so no allocation per call beyond Micrometer's own
 * {@link Timer#record(long, TimeUnit)} (counters and the fixed-boundary histogram's atomic longs). The families
 * exist from the start, so dashboards and the README's table never miss one.
 *
 * <p>Durations come from the callers, measured on the injected {@code TimeSource}'s monotonic clock, so a test
 * on a {@code ManualTimeSource} knows each bucket's count exactly.
 *
 * <p>StreamIsActive has no histogram: the call's duration is the stream's life, and its first message waits
 * for data or the warm-up by design; how fast a change reaches KEDA is a property of the standing-query
 * evaluator, measured from outside by the bench's push-latency probe (README, Performance).
 *
 * <p>Buckets: OTLP Export of a 1,000-point request takes ~0.5 ms, a large or first request (series creation)
 * tens of ms; KEDA's GetMetrics/IsActive answer in ~0.1-0.5 ms from a cached standing query, a compile or
 * evaluation takes ms; queries range from sub-ms instant queries to the 120 s timeout.
 */
public final class LatencyMetrics implements ReceiverStats.ExportTimer, QueryObserver {
    static final List<Duration> EXPORT_BUCKETS = millis(0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000);
    static final List<Duration> RPC_BUCKETS = millis(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500);
    static final List<Duration> QUERY_BUCKETS = millis(0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000,
            10000, 30000, 60000, 120000);
    /** The unary KEDA RPCs, the values of the {@code rpc} label. */
    static final List<String> RPCS = List.of("GetMetricSpec", "GetMetrics", "IsActive");

    private final Timer[] export = new Timer[ReceiverStats.Transport.values().length];
    private final Timer[] rpc = new Timer[RPCS.size()];
    private final Timer[] query = new Timer[Endpoint.values().length];
    /** [endpoint][error type index in ERROR_TYPES]. */
    private final Counter[][] queryFailures = new Counter[Endpoint.values().length][ERROR_TYPES.size()];

    public LatencyMetrics(MeterRegistry registry) {
        for (ReceiverStats.Transport t : ReceiverStats.Transport.values()) {
            export[t.ordinal()] = timer(SelfMetrics.PREFIX + "otlp_export_duration", EXPORT_BUCKETS,
                    "Time the server spent on an OTLP Export (validate, decode, append, commit; not the transfer), by transport")
                    .tag("transport", t.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
        }
        for (int i = 0; i < RPCS.size(); i++) {
            rpc[i] = timer(SelfMetrics.PREFIX + "scaler_rpc_duration", RPC_BUCKETS,
                    "Time KEDA's unary external-scaler RPCs took to answer (or fail), by RPC")
                    .tag("rpc", RPCS.get(i)).register(registry);
        }
        for (Endpoint e : Endpoint.values()) {
            query[e.ordinal()] = timer(SelfMetrics.PREFIX + "query_duration", QUERY_BUCKETS,
                    "Time PromQL queries of the HTTP API took, from the handler's start to the answer written (queueing"
                            + " excluded), by endpoint; failures included")
                    .tag("endpoint", e.label()).register(registry);
            for (int t = 0; t < ERROR_TYPES.size(); t++) {
                queryFailures[e.ordinal()][t] = Counter.builder(SelfMetrics.PREFIX + "query_failures")
                        .description("PromQL queries of the HTTP API that failed, by endpoint and Prometheus' errorType")
                        .tags("endpoint", e.label(), "error_type", ERROR_TYPES.get(t)).register(registry);
            }
        }
    }

    private static Timer.Builder timer(String name, List<Duration> buckets, String help) {
        return Timer.builder(name).description(help).serviceLevelObjectives(buckets.toArray(Duration[]::new));
    }

    private static List<Duration> millis(double... ms) {
        return java.util.Arrays.stream(ms).mapToObj(m -> Duration.ofNanos(Math.round(m * 1_000_000))).toList();
    }

    @Override
    public void record(ReceiverStats.Transport transport, long nanos) {
        export[transport.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A unary KEDA RPC's duration; other RPC names are ignored. */
    void recordRpc(String name, long nanos) {
        int i = RPCS.indexOf(name); // three equals() calls, no allocation
        if (i >= 0) {
            rpc[i].record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void onQuery(Endpoint endpoint, long nanos, String errorType) {
        query[endpoint.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
        if (errorType != null) {
            int t = ERROR_TYPES.indexOf(errorType);
            queryFailures[endpoint.ordinal()][t >= 0 ? t : ERROR_TYPES.size() - 1].increment();
        }
    }
}
