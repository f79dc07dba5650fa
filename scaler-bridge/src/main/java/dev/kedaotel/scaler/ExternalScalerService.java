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
 *       they validate the whole metadata (a bad metricQuery is INVALID_ARGUMENT, where kedify only
 *       logged) and never evaluate. StreamMetricSpec sends once and stays open until cancelled, since
 *       a fixed metadata map never changes its spec.</li>
 *   <li>GetMetrics / IsActive: the ScaledObject's standing query's current answer (cached unless data
 *       changed or it aged), turned into a value by {@link ScalerValue}.</li>
 *   <li>StreamIsActive: event-driven, see {@link IsActiveStream}.</li>
 * </ul>
 *
 * <p>Threads: gRPC threads run the RPCs. The composition root's scheduler (given to the constructor,
 * never created or shut down here) runs the idle sweep and, when a resend interval is configured,
 * re-sends every open stream's flag (one task for all streams, not a timer per stream); {@link #close()}
 * cancels those two tasks.
 */
public final class ExternalScalerService extends ExternalScalerGrpc.ExternalScalerImplBase implements AutoCloseable {
    private static final Logger LOG = System.getLogger(ExternalScalerService.class.getName());

    private final ScalerConfig config;
    private final ScalerObserver observer;
    private final ScaledObjects scaledObjects;
    private final Set<IsActiveStream> activeStreams = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> idleSweep;
    private final ScheduledFuture<?> resend;

    /**
     * @param scheduler runs the periodic idle sweep and stream re-sends; owned by the caller, which
     *     shuts it down after {@link #close()}
     */
    public ExternalScalerService(StandingQueries queries, ScalerConfig config, ScalerObserver observer,
                                 ScheduledExecutorService scheduler) {
        this.config = config;
        this.observer = observer;
        this.scaledObjects = new ScaledObjects(queries,
                new ScalerQueryCompiler(queries.engine(), config.retentionMs()), config, observer);
        long sweepMs = Math.max(1_000, Math.min(60_000, config.idleTimeoutMs() / 4));
        this.idleSweep = scheduler.scheduleWithFixedDelay(this::sweepIdle, sweepMs, sweepMs, TimeUnit.MILLISECONDS);
        this.resend = config.resendIntervalMs() <= 0 ? null
                : scheduler.scheduleAtFixedRate(this::resendAll, config.resendIntervalMs(), config.resendIntervalMs(),
                        TimeUnit.MILLISECONDS);
    }

    @Override
    public void getMetricSpec(ScaledObjectRef request, StreamObserver<GetMetricSpecResponse> response) {
        try {
            GetMetricSpecResponse spec = specOf(request);
            response.onNext(spec);
            response.onCompleted();
        } catch (StatusException e) {
            fail("GetMetricSpec", request, e, response);
        }
    }

    @Override
    public void streamMetricSpec(ScaledObjectRef request, StreamObserver<GetMetricSpecResponse> response) {
        if (!config.streamMetricSpecEnabled()) {
            super.streamMetricSpec(request, response);
            return;
        }
        ServerCallStreamObserver<GetMetricSpecResponse> call = (ServerCallStreamObserver<GetMetricSpecResponse>) response;
        try {
            GetMetricSpecResponse spec = specOf(request);
            ScaledObjectState state = scaledObjects.resolve(request);
            state.streamOpened(config.time().wallMillis());
            call.setOnCancelHandler(() -> state.streamClosed(config.time().wallMillis()));
            call.onNext(spec);
        } catch (StatusException e) {
            fail("StreamMetricSpec", request, e, response);
        }
    }

    @Override
    public void getMetrics(GetMetricsRequest request, StreamObserver<GetMetricsResponse> response) {
        ScaledObjectRef ref = request.getScaledObjectRef();
        try {
            ScalerValue value = evaluate(ref);
            response.onNext(GetMetricsResponse.newBuilder()
                    .addMetricValues(MetricValue.newBuilder()
                            .setMetricName(request.getMetricName())
                            .setMetricValueFloat(value.value())
                            .setMetricValue(ScalerValue.ceil(value.value())))
                    .build());
            response.onCompleted();
        } catch (StatusException e) {
            fail("GetMetrics", ref, e, response);
        }
    }

    @Override
    public void isActive(ScaledObjectRef request, StreamObserver<IsActiveResponse> response) {
        try {
            ScalerValue value = evaluate(request);
            response.onNext(IsActiveResponse.newBuilder().setResult(value.active()).build());
            response.onCompleted();
        } catch (StatusException e) {
            fail("IsActive", request, e, response);
        }
    }

    @Override
    public void streamIsActive(ScaledObjectRef request, StreamObserver<IsActiveResponse> response) {
        ScaledObjectState state;
        try {
            state = scaledObjects.resolve(request);
        } catch (StatusException e) {
            // Bad metadata is permanent: ending the stream is the only way to tell KEDA.
            fail("StreamIsActive", request, e, response);
            return;
        }
        IsActiveStream[] self = new IsActiveStream[1];
        self[0] = new IsActiveStream((ServerCallStreamObserver<IsActiveResponse>) response, state, config, observer,
                () -> activeStreams.remove(self[0]));
        activeStreams.add(self[0]);
        self[0].open();
    }

    private GetMetricSpecResponse specOf(ScaledObjectRef ref) throws StatusException {
        ScalerQuery query = scaledObjects.compile(ref.getScalerMetadataMap());
        double target = query.metadata().targetValue();
        return GetMetricSpecResponse.newBuilder()
                .addMetricSpecs(MetricSpec.newBuilder()
                        .setMetricName(ref.getNamespace() + "-" + ref.getName())
                        .setTargetSizeFloat(target)
                        .setTargetSize(ScalerValue.ceil(target)))
                .build();
    }

    private ScalerValue evaluate(ScaledObjectRef ref) throws StatusException {
        ScaledObjectState state = scaledObjects.resolve(ref);
        ScalerValue value = ScalerValue.of(state.handle().current(), state.parsed(), config);
        if (value.isError()) {
            throw value.error().asException();
        }
        observer.onValue(ref.getNamespace(), ref.getName(), state.parsed().metricQuery(), value.value(), value.active());
        return value;
    }

    private void fail(String rpc, ScaledObjectRef ref, StatusException e, StreamObserver<?> response) {
        Status.Code code = e.getStatus().getCode();
        observer.onError(rpc, code);
        LOG.log(code == Status.Code.NOT_FOUND ? Level.DEBUG : Level.WARNING,
                () -> rpc + " " + ref.getNamespace() + "/" + ref.getName() + ": " + code + " " + e.getStatus().getDescription());
        response.onError(e);
    }

    private void resendAll() {
        for (IsActiveStream stream : activeStreams) {
            stream.resend();
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
        for (IsActiveStream stream : activeStreams) {
            stream.complete();
        }
        scaledObjects.clear();
    }
}
