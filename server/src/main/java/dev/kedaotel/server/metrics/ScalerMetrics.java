package dev.kedaotel.server.metrics;

import dev.kedaotel.scaler.ScalerObserver;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-ScaledObject gauges (kedify's {@code keda_otel_scaler_metric_value_clamped}, plus an activity
 * gauge) and scaler error counters. A ScaledObject's gauges are removed when the scaler forgets it,
 * so {@code /metrics} never reports a value for something that no longer exists (kedify issue #84).
 * Labels are snake_case ({@code scaled_object}, {@code metric_query}; kedify's camelCase names fail
 * {@code promtool check metrics}). RPC durations go to {@link LatencyMetrics}.
 */
public final class ScalerMetrics implements ScalerObserver {
    private final MeterRegistry registry;
    private final LatencyMetrics latency;
    private final Map<String, Entry> byScaledObject = new ConcurrentHashMap<>();

    /** The latest value and activity of one ScaledObject, read by its gauges at scrape time. */
    private static final class Entry {
        volatile double value;
        volatile double active;
        Gauge valueGauge;
        Gauge activeGauge;
        String metricQuery;
    }

    public ScalerMetrics(MeterRegistry registry, LatencyMetrics latency) {
        this.registry = registry;
        this.latency = latency;
    }

    @Override
    public void onDuration(String rpc, long nanos) {
        latency.recordRpc(rpc, nanos);
    }

    @Override
    public void onValue(String namespace, String scaledObject, String metricQuery, double value, boolean active) {
        String key = namespace + "/" + scaledObject;
        Entry e = byScaledObject.get(key);
        if (e == null || !e.metricQuery.equals(metricQuery)) {
            e = register(key, namespace, scaledObject, metricQuery);
        }
        e.value = value;
        e.active = active ? 1 : 0;
    }

    private synchronized Entry register(String key, String namespace, String scaledObject, String metricQuery) {
        Entry old = byScaledObject.get(key);
        if (old != null && old.metricQuery.equals(metricQuery)) {
            return old;
        }
        if (old != null) {
            registry.remove(old.valueGauge);
            registry.remove(old.activeGauge);
        }
        Entry e = new Entry();
        e.metricQuery = metricQuery;
        Tags tags = Tags.of("namespace", namespace, "scaled_object", scaledObject);
        e.valueGauge = Gauge.builder(SelfMetrics.PREFIX + "metric_value_clamped", e, x -> x.value)
                .tags(tags.and("metric_query", metricQuery))
                .description("Value last reported to KEDA for a ScaledObject, after clamps").register(registry);
        e.activeGauge = Gauge.builder(SelfMetrics.PREFIX + "scaled_object_active", e, x -> x.active)
                .tags(tags).description("1 when the ScaledObject's trigger was last reported active").register(registry);
        byScaledObject.put(key, e);
        return e;
    }

    @Override
    public synchronized void onRemoved(String namespace, String scaledObject) {
        Entry e = byScaledObject.remove(namespace + "/" + scaledObject);
        if (e != null) {
            registry.remove(e.valueGauge);
            registry.remove(e.activeGauge);
        }
    }

    @Override
    public void onOperationFallback(String namespace, String scaledObject, String requested) {
        Counter.builder(SelfMetrics.PREFIX + "operation_over_time_fallbacks")
                .description("Unknown operationOverTime values replaced by last_one (as kedify does)")
                .tag("requested", requested).register(registry).increment();
    }

    @Override
    public void onWarmingUp(String rpc) {
        Counter.builder(SelfMetrics.PREFIX + "scaler_unavailable")
                .description("Answers withheld from KEDA, by RPC and reason: warming_up = GetMetrics/IsActive answered"
                        + " UNAVAILABLE (also in scaler_errors), StreamIsActive streams held silent, because the window"
                        + " did not yet hold what the query reads")
                .tags("rpc", rpc, "reason", "warming_up").register(registry).increment();
    }

    @Override
    public void onError(String rpc, Status.Code code) {
        Counter.builder(SelfMetrics.PREFIX + "scaler_errors").description("Scaler RPC errors, by RPC and gRPC code")
                .tags("rpc", rpc, "code", code.name()).register(registry).increment();
    }
}
