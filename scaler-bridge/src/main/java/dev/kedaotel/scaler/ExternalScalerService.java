package dev.kedaotel.scaler;

import dev.kedaotel.scaler.externalscaler.ExternalScalerGrpc;
import dev.kedaotel.scaler.externalscaler.GetMetricSpecResponse;
import dev.kedaotel.scaler.externalscaler.GetMetricsRequest;
import dev.kedaotel.scaler.externalscaler.GetMetricsResponse;
import dev.kedaotel.scaler.externalscaler.IsActiveResponse;
import dev.kedaotel.scaler.externalscaler.MetricSpec;
import dev.kedaotel.scaler.externalscaler.MetricValue;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import dev.kedaotel.query.standing.StandingQueries;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * KEDA's {@code externalscaler.ExternalScaler} service over standing queries. Bind it to a gRPC
 * server as a {@link io.grpc.BindableService} (it is one: {@link #bindService()}).
 *
 * <ul>
 *   <li>GetMetricSpec / StreamMetricSpec: one spec named {@code <namespace>-<name>} with the target;
 *       they fail (INVALID_ARGUMENT) only when targetValue is unusable and never evaluate. Any other
 *       bad key, above all a metricQuery that does not compile, still gets the spec: KEDA ≥ 2.20
 *       creates no HPA while GetMetricSpec fails, so its {@code fallback} would never engage. The
 *       ScaledObject is remembered as invalid (logged once) and the RPCs below answer with its status.
 *       StreamMetricSpec sends once and stays open until cancelled, since a fixed metadata map never
 *       changes its spec.</li>
 *   <li>GetMetrics / IsActive: the ScaledObject's standing query's current answer (cached unless data
 *       changed or it aged), turned into a value by {@link ScalerValue}; INVALID_ARGUMENT naming the
 *       key for an invalid ScaledObject; UNAVAILABLE while the window is still {@linkplain WarmUp warming
 *       up} for the query (KEDA then keeps the replica count, or applies the ScaledObject's fallback).</li>
 *   <li>StreamIsActive: event-driven, see {@link IsActiveStream}; an invalid ScaledObject ends it with
 *       INVALID_ARGUMENT. During the warm-up the stream stays open and silent until its query is warm.</li>
 * </ul>
 * Every RPC fails with a status that has a message, never UNKNOWN: whatever escapes evaluation or
 * compilation is turned into one (see {@code guarded}).
 *
 * <p>With tenancy on ({@link ScalerConfig#namespaceLabel()}), every query is scoped to the
 * {@code ScaledObjectRef.namespace} it came with (see {@link ScalerQueryCompiler}), so GetMetrics,
 * IsActive and StreamIsActive all answer from that namespace's series only.
 *
 * <p>Threads: gRPC threads run the RPCs. The composition root's scheduler (given to the constructor,
 * never created or shut down here) runs the idle sweep, when a resend interval is configured re-sends
 * every open stream's flag (one task for all streams, not a timer per stream), and, when the service
 * starts with a warm-up to run, the warm-up check ({@link #WARM_UP_CHECK_MS}): a stream whose query
 * became warm gets its first answer even though no data changed (the evaluator tells streams only
 * about changed answers). The check reads the configured clock, so a test advancing a manual clock
 * sees it act within one check period. {@link #close()} cancels these tasks.
 */
public final class ExternalScalerService extends ExternalScalerGrpc.ExternalScalerImplBase implements AutoCloseable {
    private static final Logger LOG = System.getLogger(ExternalScalerService.class.getName());

    private final ScalerConfig config;
    private final ScalerObserver observer;
    private final ScaledObjects scaledObjects;
    private final Set<IsActiveStream> activeStreams = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> idleSweep;
    private final ScheduledFuture<?> resend;
    private final ScheduledFuture<?> warmUpCheck;
    /**
     * How often open streams held back by the warm-up are looked at. Kept after the warm-up ends: a stream
     * opened just as it ended may have been handed an answer evaluated just before.
     */
    static final long WARM_UP_CHECK_MS = 500;

    /**
     * @param scheduler runs the periodic idle sweep, stream re-sends and the warm-up check; owned by the
     *     caller, which shuts it down after {@link #close()}
     */
    public ExternalScalerService(StandingQueries queries, ScalerConfig config, ScalerObserver observer,
                                 ScheduledExecutorService scheduler) {
        this.config = config;
        this.observer = observer;
        this.scaledObjects = new ScaledObjects(queries,
                new ScalerQueryCompiler(queries.engine(), config.retentionMs(), config.namespaceLabel(),
                        config.translationStrategy()), config, observer);
        long sweepMs = Math.max(1_000, Math.min(60_000, config.idleTimeoutMs() / 4));
        this.idleSweep = scheduler.scheduleWithFixedDelay(this::sweepIdle, sweepMs, sweepMs, TimeUnit.MILLISECONDS);
        this.resend = config.resendIntervalMs() <= 0 ? null
                : scheduler.scheduleAtFixedRate(this::resendAll, config.resendIntervalMs(), config.resendIntervalMs(),
                        TimeUnit.MILLISECONDS);
        this.warmUpCheck = config.warmUp().complete(config.time().wallMillis()) ? null
                : scheduler.scheduleWithFixedDelay(this::releaseWarmStreams, WARM_UP_CHECK_MS, WARM_UP_CHECK_MS,
                        TimeUnit.MILLISECONDS);
    }

    @Override
    public void getMetricSpec(ScaledObjectRef request, StreamObserver<GetMetricSpecResponse> response) {
        unary("GetMetricSpec", request, response, () -> specOf(request));
    }

    @Override
    public void streamMetricSpec(ScaledObjectRef request, StreamObserver<GetMetricSpecResponse> response) {
        if (!config.streamMetricSpecEnabled()) {
            super.streamMetricSpec(request, response);
            return;
        }
        ServerCallStreamObserver<GetMetricSpecResponse> call = (ServerCallStreamObserver<GetMetricSpecResponse>) response;
        guarded("StreamMetricSpec", request, response, () -> {
            GetMetricSpecResponse spec = specOf(request);
            ScaledObjectState state = scaledObjects.resolve("StreamMetricSpec", request);
            state.streamOpened(config.time().wallMillis());
            call.setOnCancelHandler(() -> state.streamClosed(config.time().wallMillis()));
            call.onNext(spec);
        });
    }

    @Override
    public void getMetrics(GetMetricsRequest request, StreamObserver<GetMetricsResponse> response) {
        ScaledObjectRef ref = request.getScaledObjectRef();
        unary("GetMetrics", ref, response, () -> {
            ScalerValue value = evaluate("GetMetrics", ref);
            return GetMetricsResponse.newBuilder()
                    .addMetricValues(MetricValue.newBuilder()
                            .setMetricName(request.getMetricName())
                            .setMetricValueFloat(value.value())
                            .setMetricValue(ScalerValue.ceil(value.value())))
                    .build();
        });
    }

    @Override
    public void isActive(ScaledObjectRef request, StreamObserver<IsActiveResponse> response) {
        unary("IsActive", request, response,
                () -> IsActiveResponse.newBuilder().setResult(evaluate("IsActive", request).active()).build());
    }

    @Override
    public void streamIsActive(ScaledObjectRef request, StreamObserver<IsActiveResponse> response) {
        guarded("StreamIsActive", request, response, () -> {
            ScaledObjectState state = scaledObjects.resolve(IsActiveStream.RPC, request);
            if (state.invalid() != null) {
                // Bad metadata is permanent: ending the stream is the only way to tell KEDA, which logs
                // the status and reconnects with its backoff (2 s doubling to 60 s).
                throw new AlreadyLogged(state.invalid());
            }
            IsActiveStream[] self = new IsActiveStream[1];
            self[0] = new IsActiveStream((ServerCallStreamObserver<IsActiveResponse>) response, state, config, observer,
                    () -> activeStreams.remove(self[0]));
            activeStreams.add(self[0]);
            self[0].open(); // on failure it deregisters itself before rethrowing
        });
    }

    /**
     * The spec from targetValue alone, so KEDA builds the HPA (and its fallback can engage) whatever
     * the other keys say. Metadata that does not compile is remembered as an invalid ScaledObject,
     * logged once, for GetMetrics/IsActive/StreamIsActive to answer with.
     */
    private GetMetricSpecResponse specOf(ScaledObjectRef ref) throws StatusException {
        double target = ScalerMetadata.targetValue(ref.getScalerMetadataMap());
        try {
            scaledObjects.compile(ref.getNamespace(), ref.getScalerMetadataMap());
        } catch (StatusException e) {
            scaledObjects.resolve("GetMetricSpec", ref);
        }
        return GetMetricSpecResponse.newBuilder()
                .addMetricSpecs(MetricSpec.newBuilder()
                        .setMetricName(ref.getNamespace() + "-" + ref.getName())
                        .setTargetSizeFloat(target)
                        .setTargetSize(ScalerValue.ceil(target)))
                .build();
    }

    private ScalerValue evaluate(String rpc, ScaledObjectRef ref) throws StatusException {
        ScaledObjectState state = scaledObjects.resolve(rpc, ref);
        if (state.invalid() != null) {
            throw new AlreadyLogged(state.invalid());
        }
        // Never a cached answer from before the query became warm: after that moment it must answer.
        long warmAt = config.warmUp().warmAtMs(state.query().spanMs());
        ScalerValue value = ScalerValue.of(state.handle().current(warmAt), state.query(), config);
        if (value.warmingUp()) {
            observer.onWarmingUp(rpc);
            // The warm-up is logged when it starts and ends; a line per poll of every ScaledObject would flood.
            throw new AlreadyLogged(value.error());
        }
        if (value.isError()) {
            throw value.error().asException();
        }
        observer.onValue(ref.getNamespace(), ref.getName(), state.parsed().metricQuery(), value.value(), value.active());
        return value;
    }

    /** What an RPC does; a {@link StatusException} is the status to fail with. */
    @FunctionalInterface
    private interface Body {
        void run() throws StatusException;
    }

    /** What a unary RPC answers. */
    @FunctionalInterface
    private interface Reply<T> {
        T get() throws StatusException;
    }

    /** Runs a unary RPC and reports its duration (answered or failed) to the observer's latency histogram. */
    private <T> void unary(String rpc, ScaledObjectRef ref, StreamObserver<T> response, Reply<T> reply) {
        long started = config.time().monotonicNanos();
        guarded(rpc, ref, response, () -> {
            T answer;
            try {
                answer = reply.get();
            } finally {
                // Measured before the answer (or the failure) leaves: once it has, the caller may act at once,
                // and what is timed is this server's work, not the client's reaction.
                observer.onDuration(rpc, config.time().monotonicNanos() - started);
            }
            response.onNext(answer);
            response.onCompleted();
        });
    }

    /**
     * Runs an RPC's body, failing the call with the status it throws. Anything else thrown (a bug, or a
     * stack overflow on an absurdly nested query) becomes a status too — INVALID_ARGUMENT or INTERNAL
     * with a message, see {@link Failures#unexpected} — where grpc-java would answer UNKNOWN and let an
     * Error kill the worker thread.
     */
    private void guarded(String rpc, ScaledObjectRef ref, StreamObserver<?> response, Body body) {
        try {
            body.run();
        } catch (StatusException e) {
            fail(rpc, ref, e, response);
        } catch (RuntimeException | StackOverflowError e) {
            Status status = Failures.unexpected("evaluating", ref.getScalerMetadataMap().get(ScalerMetadata.METRIC_QUERY), e);
            String what = rpc + " " + ref.getNamespace() + "/" + ref.getName() + ": " + status.getCode() + " "
                    + status.getDescription();
            if (e instanceof StackOverflowError) {
                LOG.log(Level.WARNING, what); // its stack trace is a thousand identical frames
            } else {
                LOG.log(Level.ERROR, what, e);
            }
            fail(rpc, ref, new AlreadyLogged(status), response);
        }
    }

    private void fail(String rpc, ScaledObjectRef ref, StatusException e, StreamObserver<?> response) {
        Status status = Failures.bounded(e.getStatus());
        Status.Code code = status.getCode();
        try {
            observer.onError(rpc, code);
        } catch (RuntimeException observerFailure) {
            LOG.log(Level.WARNING, "scaler observer failed counting a " + rpc + " error", observerFailure);
        }
        LOG.log(code == Status.Code.NOT_FOUND || e instanceof AlreadyLogged ? Level.DEBUG : Level.WARNING,
                () -> rpc + " " + ref.getNamespace() + "/" + ref.getName() + ": " + code + " " + status.getDescription());
        try {
            response.onError(status.asException());
        } catch (RuntimeException closed) {
            LOG.log(Level.DEBUG, () -> rpc + " " + ref.getNamespace() + "/" + ref.getName() + " was already closed: " + closed);
        }
    }

    /**
     * A status whose cause was already logged (at warning level once per invalid ScaledObject or when
     * something was thrown; at info level when the warm-up starts and ends); failing with it logs at
     * debug level only, so a bad or warming ScaledObject polled every few seconds does not flood the log.
     */
    private static final class AlreadyLogged extends StatusException {
        private static final long serialVersionUID = 1L;

        AlreadyLogged(Status status) {
            super(status);
        }
    }

    private void resendAll() {
        for (IsActiveStream stream : activeStreams) {
            stream.resend();
        }
    }

    private void releaseWarmStreams() {
        try {
            for (IsActiveStream stream : activeStreams) {
                stream.releaseIfWarm();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "warm-up check of StreamIsActive streams failed", e);
        }
    }

    private void sweepIdle() {
        try {
            expireIdleScaledObjects();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "idle ScaledObject sweep failed", e);
        }
    }

    /** Forgets idle ScaledObjects now (the scheduler also does this periodically); returns how many. */
    public int expireIdleScaledObjects() {
        return scaledObjects.expireIdle();
    }

    /** Every ScaledObject currently remembered, as read-only snapshots (no evaluation). */
    public java.util.List<ScaledObjectSnapshot> scaledObjects() {
        return scaledObjects.snapshot();
    }

    /** ScaledObjects currently remembered. */
    public int scaledObjectCount() {
        return scaledObjects.size();
    }

    /** Open StreamIsActive calls. */
    public int openIsActiveStreams() {
        return activeStreams.size();
    }

    /** Cancels this service's periodic tasks, completes open streams and releases standing queries. */
    @Override
    public void close() {
        idleSweep.cancel(false);
        if (resend != null) {
            resend.cancel(false);
        }
        if (warmUpCheck != null) {
            warmUpCheck.cancel(false);
        }
        for (IsActiveStream stream : activeStreams) {
            stream.complete();
        }
        scaledObjects.clear();
    }
}
