package dev.kedaotel.bench;

import dev.kedaotel.scaler.externalscaler.ExternalScalerGrpc;
import dev.kedaotel.scaler.externalscaler.GetMetricsRequest;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;

/**
 * {@code GetMetrics} and {@code IsActive} latency for a standing query, the two RPCs KEDA's scale loop
 * sends. The ScaledObject's query is {@code sum(bench_requests_total{pod="pod-7"})} (run a
 * {@link LoadGenerator} first, or with {@code --load-rate}, so those series exist); a
 * {@code StreamIsActive} is held open as KEDA does for external-push, so the query is standing.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.kedaotel.bench.ScalerLatencyProbe --scaler-port 4318 --calls 20000
 * </pre>
 */
public final class ScalerLatencyProbe {
    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, "host", "scaler-port", "otlp-port", "calls", "query", "load-rate", "load-series");
        String host = a.string("host", "127.0.0.1");
        int calls = a.integer("calls", 20_000);
        String query = a.string("query", "sum(bench_requests_total{pod=\"pod-7\"})");
        double loadRate = a.number("load-rate", 0);
        LoadGenerator load = null;
        if (loadRate > 0) {
            load = new LoadGenerator(host, a.integer("otlp-port", 4317), a.integer("load-series", 100_000), 1000, 1, loadRate);
            load.createSeries();
            load.start();
        }
        ManagedChannel ch = NettyChannelBuilder.forAddress(host, a.integer("scaler-port", 4318)).usePlaintext().build();
        ScaledObjectRef ref = ScaledObjectRef.newBuilder().setName("latency-probe").setNamespace("bench")
                .putScalerMetadata("metricQuery", query).putScalerMetadata("targetValue", "1").build();
        var blocking = ExternalScalerGrpc.newBlockingStub(ch);
        ExternalScalerGrpc.newStub(ch).streamIsActive(ref, new io.grpc.stub.StreamObserver<>() {
            @Override
            public void onNext(dev.kedaotel.scaler.externalscaler.IsActiveResponse value) {
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        });
        GetMetricsRequest gm = GetMetricsRequest.newBuilder().setScaledObjectRef(ref).setMetricName("bench-latency-probe").build();
        double value = 0;
        for (int i = 0; i < Math.min(calls, 5000); i++) { // warm-up
            value = blocking.getMetrics(gm).getMetricValues(0).getMetricValueFloat();
            blocking.isActive(ref);
        }
        Percentiles getMetrics = new Percentiles();
        Percentiles isActive = new Percentiles();
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            value = blocking.getMetrics(gm).getMetricValues(0).getMetricValueFloat();
            long t1 = System.nanoTime();
            blocking.isActive(ref);
            long t2 = System.nanoTime();
            getMetrics.record(t1 - t0);
            isActive.record(t2 - t1);
        }
        System.out.printf("query %s = %s (background load %.0f points/s)%n", query, value, loadRate);
        System.out.printf("GetMetrics %s%nIsActive   %s%n", getMetrics.summaryMs(), isActive.summaryMs());
        if (load != null) {
            load.close();
        }
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
