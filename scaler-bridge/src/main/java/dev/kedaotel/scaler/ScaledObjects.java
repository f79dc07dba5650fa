package dev.kedaotel.scaler;

import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import dev.kedaotel.query.standing.StandingQueries;
import dev.kedaotel.query.standing.StandingQueryHandle;
import io.grpc.StatusException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ScaledObjects KEDA has asked about, each with the standing query it holds, so the hot RPCs
 * (GetMetrics/IsActive every polling interval) cost a map lookup and a metadata-map equality check.
 *
 * <p>Concurrency: lookups are lock-free reads of a {@link ConcurrentHashMap}; creating or replacing a
 * state (new ScaledObject, edited metadata) and the idle sweep are serialised on this object so a
 * handle is acquired and released exactly once per state. A request racing the sweep may briefly use
 * a state whose handle was just released; that is safe because a released standing query evaluates
 * synchronously on every call instead of trusting its cache.
 */
final class ScaledObjects {
    private static final Logger LOG = System.getLogger(ScaledObjects.class.getName());
    /** Bound on distinct metadata maps kept compiled; reached only by churn, so simply start over. */
    private static final int MAX_COMPILED = 4096;

    private final StandingQueries queries;
    private final ScalerQueryCompiler compiler;
    private final ScalerConfig config;
    private final ScalerObserver observer;
    private final ConcurrentHashMap<ScaledObjectKey, ScaledObjectState> states = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Map<String, String>, ScalerQuery> compiledByMetadata = new ConcurrentHashMap<>();

    ScaledObjects(StandingQueries queries, ScalerQueryCompiler compiler, ScalerConfig config, ScalerObserver observer) {
        this.queries = queries;
        this.compiler = compiler;
        this.config = config;
        this.observer = observer;
    }

    /** The metadata of {@code metadata} parsed and compiled (cached per distinct map). */
    ScalerQuery compile(Map<String, String> metadata) throws StatusException {
        ScalerQuery cached = compiledByMetadata.get(metadata);
        if (cached != null) {
            return cached;
        }
        ScalerQuery compiled = compiler.compile(ScalerMetadata.parse(metadata));
        if (compiledByMetadata.size() >= MAX_COMPILED) {
            compiledByMetadata.clear();
        }
        compiledByMetadata.put(Map.copyOf(metadata), compiled);
        return compiled;
    }

    /** The state of the referenced ScaledObject, created (or replaced if its metadata changed) as needed. */
    ScaledObjectState resolve(ScaledObjectRef ref) throws StatusException {
        ScaledObjectKey key = new ScaledObjectKey(ref.getNamespace(), ref.getName());
        Map<String, String> metadata = ref.getScalerMetadataMap();
        long now = config.time().wallMillis();
        ScaledObjectState state = states.get(key);
        if (state != null && state.metadata().equals(metadata)) {
            state.touch(now);
            return state;
        }
        ScalerQuery query = compile(metadata);
        synchronized (this) {
            state = states.get(key);
            if (state != null && state.metadata().equals(metadata)) {
                state.touch(now);
                return state;
            }
            StandingQueryHandle handle = queries.acquire(query.promql(), query.expr());
            ScaledObjectState fresh = new ScaledObjectState(key, Map.copyOf(metadata), query, handle, now);
            states.put(key, fresh);
            if (state != null) {
                state.handle().close();
            }
            reportWarnings(key, query.metadata());
            return fresh;
        }
    }

    private void reportWarnings(ScaledObjectKey key, ScalerMetadata metadata) {
        for (String warning : metadata.warnings()) {
            LOG.log(Level.WARNING, "ScaledObject " + key + ": " + warning);
        }
        if (metadata.operationFellBack()) {
            observer.onOperationFallback(key.namespace(), key.name(), metadata.requestedOperation());
        }
    }

    /**
     * Forgets ScaledObjects with no open stream that nobody asked about for the idle timeout,
     * releasing their standing queries and telling the observer. Returns how many were forgotten.
     */
    synchronized int expireIdle() {
        long now = config.time().wallMillis();
        int removed = 0;
        for (ScaledObjectState state : states.values()) {
            if (state.openStreams() == 0 && now - state.lastSeenMs() >= config.idleTimeoutMs()
                    && states.remove(state.key(), state)) {
                state.handle().close();
                observer.onRemoved(state.key().namespace(), state.key().name());
                removed++;
            }
        }
        return removed;
    }

    int size() {
        return states.size();
    }

    /** Releases every held standing query (service shutdown). */
    synchronized void clear() {
        for (ScaledObjectState state : states.values()) {
            state.handle().close();
        }
        states.clear();
    }

    /** Every remembered ScaledObject as a snapshot, sorted by namespace and name; never evaluates. */
    java.util.List<ScaledObjectSnapshot> snapshot() {
        java.util.List<ScaledObjectSnapshot> out = new java.util.ArrayList<>(states.size());
        for (ScaledObjectState state : states.values()) {
            ScalerQuery q = state.query();
            ScalerMetadata md = q.metadata();
            dev.kedaotel.query.standing.Answer answer = state.handle().query().latest();
            ScalerValue value = answer == null ? null : ScalerValue.of(answer, md, config);
            boolean failed = value != null && value.isError();
            out.add(new ScaledObjectSnapshot(state.key().namespace(), state.key().name(), md.metricQuery(), q.promql(),
                    q.kedifySyntax(), md.operationOverTime(), md.targetValue(), md.activationTargetValue(),
                    md.clampMin(), md.clampMax(), answer != null, value != null && !failed && value.found(),
                    value == null || failed ? Double.NaN : value.value(), value != null && !failed && value.active(),
                    failed ? value.error().getDescription() : null, answer == null ? 0 : answer.evaluatedAtMs(),
                    state.lastSeenMs(), state.openStreams()));
        }
        out.sort(java.util.Comparator.comparing(ScaledObjectSnapshot::namespace).thenComparing(ScaledObjectSnapshot::name));
        return out;
    }
}
