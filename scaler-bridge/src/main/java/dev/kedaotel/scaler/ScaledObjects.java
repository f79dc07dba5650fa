package dev.kedaotel.scaler;

import dev.kedaotel.model.LogField;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import dev.kedaotel.query.standing.StandingQueries;
import io.grpc.Status;
import io.grpc.StatusException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ScaledObjects KEDA has asked about, each with the standing query it holds, so the hot RPCs
 * (GetMetrics/IsActive every polling interval) cost a map lookup and a metadata-map equality check.
 *
 * <p>Secrets: states keep only the {@linkplain ScalerMetadataSecrets#redacted redacted} metadata, the
 * compile cache is keyed by the {@linkplain ScalerMetadataSecrets#withoutSecrets secret-free} map, and
 * "the metadata changed" means a non-secret key changed ({@link ScalerMetadataSecrets#sameIgnoringSecrets}):
 * secret values (KEDA's TLS client key, passwords) never outlive the RPC that carried them, and a
 * rotated client certificate does not replace the ScaledObject's standing query.
 *
 * <p>A ScaledObject appearing (KEDA's first call about it) and being forgotten (idle sweep) are logged at
 * info level, once each, with its namespace and name as {@link LogField}s (JSON logs show them as keys).
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
    /** Compiled metadata maps (secret-free), failures included: a broken query is not re-parsed on every call. */
    private final ConcurrentHashMap<CompileKey, Compiled> compiledByMetadata = new ConcurrentHashMap<>();

    /** One metadata map's compilation: the query, or why there is none. */
    private record Compiled(ScalerQuery query, Status error) {
    }

    /**
     * What a compilation depends on: the metadata map and, with tenancy on, the namespace the query is
     * scoped to ("" with tenancy off, so identical metadata in any namespace shares one compilation).
     */
    private record CompileKey(String namespace, Map<String, String> metadata) {
    }

    ScaledObjects(StandingQueries queries, ScalerQueryCompiler compiler, ScalerConfig config, ScalerObserver observer) {
        this.queries = queries;
        this.compiler = compiler;
        this.config = config;
        this.observer = observer;
    }

    /**
     * The metadata of {@code metadata} parsed and compiled (cached per distinct map, and per namespace
     * when tenancy scopes the query to it).
     *
     * @throws StatusException why it cannot be compiled (INVALID_ARGUMENT, or INTERNAL if compiling failed unexpectedly)
     */
    ScalerQuery compile(String namespace, Map<String, String> metadata) throws StatusException {
        Map<String, String> identity = ScalerMetadataSecrets.withoutSecrets(metadata);
        CompileKey key = new CompileKey(config.tenancy() ? namespace : "", identity);
        Compiled compiled = compiledByMetadata.get(key);
        if (compiled == null) {
            try {
                compiled = new Compiled(compiler.compile(ScalerMetadata.parse(identity), namespace), null);
            } catch (StatusException e) {
                compiled = new Compiled(null, e.getStatus());
            }
            if (compiledByMetadata.size() >= MAX_COMPILED) {
                compiledByMetadata.clear();
            }
            compiledByMetadata.put(key, compiled);
        }
        if (compiled.error() != null) {
            throw compiled.error().asException();
        }
        return compiled.query();
    }

    /**
     * The state of the referenced ScaledObject, created (or replaced if its metadata changed) as needed.
     * Metadata that cannot be compiled gives an {@linkplain ScaledObjectState#invalid() invalid} state,
     * logged at warning level once, when it is made.
     */
    ScaledObjectState resolve(String rpc, ScaledObjectRef ref) {
        ScaledObjectKey key = new ScaledObjectKey(ref.getNamespace(), ref.getName());
        Map<String, String> metadata = ref.getScalerMetadataMap();
        long now = config.time().wallMillis();
        ScaledObjectState state = states.get(key);
        if (state != null && ScalerMetadataSecrets.sameIgnoringSecrets(state.metadata(), metadata)) {
            state.called(rpc, now);
            return state;
        }
        ScalerQuery query;
        Status invalid = null;
        try {
            query = compile(ref.getNamespace(), metadata);
        } catch (StatusException e) {
            query = null;
            invalid = e.getStatus();
        }
        synchronized (this) {
            state = states.get(key);
            if (state != null && ScalerMetadataSecrets.sameIgnoringSecrets(state.metadata(), metadata)) {
                state.called(rpc, now);
                return state;
            }
            Map<String, String> shown = ScalerMetadataSecrets.redacted(metadata);
            ScaledObjectState fresh = invalid != null ? ScaledObjectState.invalid(key, shown, invalid, now)
                    : register(key, shown, query, now);
            fresh.called(rpc, now);
            states.put(key, fresh);
            if (state != null) {
                state.release();
            } else {
                LOG.log(Level.INFO, "ScaledObject {0}/{1} appeared (first call from KEDA)",
                        LogField.of("namespace", key.namespace()), LogField.of("name", key.name()));
            }
            report(fresh);
            return fresh;
        }
    }

    /** A state holding {@code query}'s standing query, or an invalid one if registering it failed. */
    private ScaledObjectState register(ScaledObjectKey key, Map<String, String> metadata, ScalerQuery query, long now) {
        try {
            return ScaledObjectState.valid(key, metadata, query, queries.acquire(query.promql(), query.expr()), now);
        } catch (RuntimeException | StackOverflowError e) {
            return ScaledObjectState.invalid(key, metadata,
                    Failures.unexpected("registering", query.metadata().metricQuery(), e), now);
        }
    }

    private void report(ScaledObjectState state) {
        Status invalid = state.invalid();
        if (invalid == null) {
            reportWarnings(state.key(), state.parsed());
            return;
        }
        LOG.log(Level.WARNING, "ScaledObject " + state.key() + ": " + invalid.getCode() + " " + invalid.getDescription()
                + "; GetMetricSpec still gives its targetValue, GetMetrics, IsActive and StreamIsActive answer "
                + invalid.getCode() + " until its metadata changes");
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
                state.release();
                observer.onRemoved(state.key().namespace(), state.key().name());
                LOG.log(Level.INFO, "ScaledObject {0}/{1} forgotten: no call from KEDA and no open stream for {2} s",
                        LogField.of("namespace", state.key().namespace()), LogField.of("name", state.key().name()),
                        String.valueOf((now - state.lastSeenMs()) / 1000));
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
            state.release();
        }
        states.clear();
    }

    /** Every remembered ScaledObject as a snapshot, sorted by namespace and name; never evaluates. */
    java.util.List<ScaledObjectSnapshot> snapshot() {
        java.util.List<ScaledObjectSnapshot> out = new java.util.ArrayList<>(states.size());
        for (ScaledObjectState state : states.values()) {
            if (state.invalid() != null) {
                out.add(invalidSnapshot(state));
                continue;
            }
            ScalerQuery q = state.query();
            ScalerMetadata md = q.metadata();
            dev.kedaotel.query.standing.Answer answer = state.handle().query().latest();
            ScalerValue value = answer == null ? null : ScalerValue.of(answer, q, config);
            boolean failed = value != null && value.isError();
            out.add(new ScaledObjectSnapshot(state.key().namespace(), state.key().name(), md.metricQuery(), q.promql(),
                    q.kedifySyntax(), md.operationOverTime(), md.targetValue(), md.activationTargetValue(),
                    md.clampMin(), md.clampMax(), answer != null, value != null && !failed && value.found(),
                    value == null || failed ? Double.NaN : value.value(), value != null && !failed && value.active(),
                    failed ? value.error().getDescription() : null, answer == null ? 0 : answer.evaluatedAtMs(),
                    state.lastSeenMs(), state.openStreams(), state.metadata(), state.lastRpc(), state.streamed(),
                    state.pushes().snapshot(), state.pushes().total()));
        }
        out.sort(java.util.Comparator.comparing(ScaledObjectSnapshot::namespace).thenComparing(ScaledObjectSnapshot::name));
        return out;
    }

    /** What is known of a ScaledObject whose metadata does not compile: the raw query, the target if valid, the error. */
    private static ScaledObjectSnapshot invalidSnapshot(ScaledObjectState state) {
        double target;
        try {
            target = ScalerMetadata.targetValue(state.metadata());
        } catch (StatusException e) {
            target = Double.NaN;
        }
        return new ScaledObjectSnapshot(state.key().namespace(), state.key().name(),
                state.metadata().get(ScalerMetadata.METRIC_QUERY), null, false, null, target, Double.NaN,
                Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, false, false, Double.NaN, false,
                state.invalid().getDescription(), 0, state.lastSeenMs(), state.openStreams(), state.metadata(),
                state.lastRpc(), state.streamed(), state.pushes().snapshot(), state.pushes().total());
    }
}
