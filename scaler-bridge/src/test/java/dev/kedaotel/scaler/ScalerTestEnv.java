package dev.kedaotel.scaler;

import dev.kedaotel.model.TimeSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import dev.kedaotel.query.EngineConfig;
import dev.kedaotel.query.QueryEngine;
import dev.kedaotel.scaler.externalscaler.ExternalScalerGrpc;
import dev.kedaotel.scaler.externalscaler.GetMetricsRequest;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import dev.kedaotel.query.standing.StandingQueries;
import dev.kedaotel.query.standing.StandingQueriesConfig;
import dev.kedaotel.tsdb.Appender;
import dev.kedaotel.tsdb.AppendResult;
import dev.kedaotel.tsdb.StoreConfig;
import dev.kedaotel.tsdb.SymbolTable;
import dev.kedaotel.tsdb.TimeSeriesStore;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerStreamTracer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A real store and engine behind a real ExternalScalerService on a loopback gRPC server (port 0),
 * with a client channel. Store and scaler share one fake clock the test advances.
 */
final class ScalerTestEnv implements AutoCloseable {
    static final long START_MS = 1_700_000_000_000L;
    static final long RETENTION_MS = 120_000;

    final AtomicLong clock = new AtomicLong(START_MS);
    final TimeSeriesStore store;
    final QueryEngine engine;
    final StandingQueries queries;
    final RecordingObserver observer = new RecordingObserver();
    final ExternalScalerService service;
    final Server server;
    final ManagedChannel channel;
    /** Server-side bookkeeping of StreamIsActive calls, to know when the server is done with them. */
    final StreamCalls streamCalls = new StreamCalls();
    private final Appender appender;
    /** The scheduler a composition root would own. */
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    private ScalerTestEnv(Consumer<ScalerConfig.Builder> tweak) throws IOException {
        store = new TimeSeriesStore(StoreConfig.builder().retentionMs(RETENTION_MS).time(TimeSource.wallClock(clock::get)).build());
        // A short lookback so a test can make a series stale by moving the clock.
        engine = new QueryEngine(store, EngineConfig.builder().lookbackDeltaMs(30_000).build());
        queries = StandingQueries.start(store, engine, new StandingQueriesConfig(200, null));
        ScalerConfig.Builder config = ScalerConfig.builder().retentionMs(RETENTION_MS).time(TimeSource.wallClock(clock::get));
        tweak.accept(config);
        service = new ExternalScalerService(queries, config.build(), observer, scheduler);
        server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(ServerInterceptors.intercept(service, streamCalls))
                .addStreamTracerFactory(streamCalls)
                .build().start();
        channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.getPort(), InsecureChannelCredentials.create())
                .build();
        appender = store.newAppender();
    }

    static ScalerTestEnv start() throws IOException {
        return new ScalerTestEnv(c -> { });
    }

    static ScalerTestEnv start(Consumer<ScalerConfig.Builder> tweak) throws IOException {
        return new ScalerTestEnv(tweak);
    }

    ExternalScalerGrpc.ExternalScalerBlockingStub blocking() {
        return ExternalScalerGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    /** GetMetrics for {@code ref} (metric name "m"): the float value. */
    double metricValue(ScaledObjectRef ref) {
        return blocking().getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(ref).setMetricName("m").build())
                .getMetricValues(0).getMetricValueFloat();
    }

    ExternalScalerGrpc.ExternalScalerStub async() {
        return ExternalScalerGrpc.newStub(channel);
    }

    /** Moves the clock forward {@code stepMs}, then appends one sample at the new time and commits. */
    void put(long stepMs, String metric, double value, String... labelPairs) {
        clock.addAndGet(stepMs);
        append(metric, value, labelPairs);
        appender.commit();
    }

    /** Appends (at the current clock time) without committing; call {@link #commit()} after. */
    void append(String metric, double value, String... labelPairs) {
        SymbolTable symbols = store.symbols();
        appender.labels().clear();
        appender.labels().add(symbols.intern("__name__"), symbols.intern(metric));
        for (int i = 0; i < labelPairs.length; i += 2) {
            appender.labels().add(symbols.intern(labelPairs[i]), symbols.intern(labelPairs[i + 1]));
        }
        int result = appender.append(clock.get(), value);
        if (result != AppendResult.APPENDED) {
            throw new AssertionError("append of " + metric + " returned " + AppendResult.describe(result));
        }
    }

    void commit() {
        appender.commit();
    }

    /**
     * Counts StreamIsActive streams the transport created (synchronously, as their headers arrive),
     * calls the service was started with, and calls whose closing callback (onCancel or onComplete)
     * has returned — at which point the service has done all its cleanup for them.
     */
    static final class StreamCalls extends ServerStreamTracer.Factory implements ServerInterceptor {
        private static final String METHOD = ExternalScalerGrpc.getStreamIsActiveMethod().getFullMethodName();
        final AtomicInteger created = new AtomicInteger();
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();

        @Override
        public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
            if (METHOD.equals(fullMethodName)) {
                created.incrementAndGet();
            }
            return new ServerStreamTracer() { };
        }

        @Override
        public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                ServerCallHandler<Q, A> next) {
            ServerCall.Listener<Q> listener = next.startCall(call, headers);
            if (!METHOD.equals(call.getMethodDescriptor().getFullMethodName())) {
                return listener;
            }
            started.incrementAndGet();
            return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
                @Override
                public void onCancel() {
                    try {
                        super.onCancel();
                    } finally {
                        finished.incrementAndGet();
                    }
                }

                @Override
                public void onComplete() {
                    try {
                        super.onComplete();
                    } finally {
                        finished.incrementAndGet();
                    }
                }
            };
        }

        /** True when every stream the transport created was started and has finished. */
        boolean allFinished() {
            int c = created.get();
            return c == started.get() && c == finished.get();
        }
    }

    static ScaledObjectRef ref(String namespace, String name, String... metadataPairs) {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int i = 0; i < metadataPairs.length; i += 2) {
            metadata.put(metadataPairs[i], metadataPairs[i + 1]);
        }
        return ScaledObjectRef.newBuilder().setNamespace(namespace).setName(name).putAllScalerMetadata(metadata).build();
    }

    @Override
    public void close() {
        channel.shutdownNow();
        service.close();
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler.shutdownNow();
        queries.close();
        store.close();
    }
}
