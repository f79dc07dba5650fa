package dev.kedaotel.bench;

import dev.kedaotel.scaler.externalscaler.ExternalScalerGrpc;
import dev.kedaotel.scaler.externalscaler.IsActiveResponse;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * StreamIsActive push latency: a KEDA-like client holds {@code StreamIsActive} open for a ScaledObject
 * whose query is {@code sum(probe_flip{probe="<id>"})}; an exporter alternately exports 1 and 0, and
 * the latency is from the moment the blocking Export call returns to the moment the stream delivers
 * the flipped answer (clamped at 0: the push can overtake the Export reply, which is the best case).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.kedaotel.bench.PushLatencyProbe \
 *   --otlp-port 4317 --scaler-port 4318 --flips 500 [--load-rate 300000 --load-series 100000 --load-concurrency 1]
 * </pre>
 * With {@code --load-rate} an in-process {@link LoadGenerator} sends that many points/s to the same
 * server during the measurement.
 */
public final class PushLatencyProbe {
    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, "host", "otlp-port", "scaler-port", "flips", "pause-ms", "load-rate", "load-series",
                "load-concurrency", "load-points");
        String host = a.string("host", "127.0.0.1");
        int otlpPort = a.integer("otlp-port", 4317);
        int scalerPort = a.integer("scaler-port", 4318);
        int flips = a.integer("flips", 500);
        int pauseMs = a.integer("pause-ms", 20);
        double loadRate = a.number("load-rate", 0);
        LoadGenerator load = null;
        if (loadRate > 0) {
            load = new LoadGenerator(host, otlpPort, a.integer("load-series", 100_000), a.integer("load-points", 1000),
                    a.integer("load-concurrency", 1), loadRate);
            load.createSeries();
            load.start();
            Thread.sleep(3000);
        }
        ManagedChannel otlp = NettyChannelBuilder.forAddress(host, otlpPort).usePlaintext().build();
        ManagedChannel scaler = NettyChannelBuilder.forAddress(host, scalerPort).usePlaintext().build();
        String id = "p" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        ScaledObjectRef ref = ScaledObjectRef.newBuilder().setName("push-probe").setNamespace("bench")
                .putScalerMetadata("metricQuery", "sum(probe_flip{probe=\"" + id + "\"})")
                .putScalerMetadata("targetValue", "1")
                .build();
        LinkedBlockingQueue<long[]> arrivals = new LinkedBlockingQueue<>();
        long ts = System.currentTimeMillis();
        Gauges.export(otlp, "probe_flip", id, ts, 0);
        ExternalScalerGrpc.newStub(scaler).streamIsActive(ref, new StreamObserver<>() {
            @Override
            public void onNext(IsActiveResponse r) {
                arrivals.add(new long[] {System.nanoTime(), r.getResult() ? 1 : 0});
            }

            @Override
            public void onError(Throwable t) {
                System.err.println("stream failed: " + t);
                arrivals.add(new long[] {System.nanoTime(), -1});
            }

            @Override
            public void onCompleted() {
                arrivals.add(new long[] {System.nanoTime(), -1});
            }
        });
        awaitResult(arrivals, 0, System.nanoTime(), 5000);
        Percentiles lat = new Percentiles();
        int overtaken = 0;
        int lost = 0;
        boolean active = false;
        for (int i = 0; i < flips + 20; i++) {
            active = !active;
            ts = Math.max(ts + 1, System.currentTimeMillis());
            Gauges.export(otlp, "probe_flip", id, ts, active ? 1 : 0);
            long returned = System.nanoTime();
            long arrived = awaitResult(arrivals, active ? 1 : 0, returned, 2000);
            if (arrived == Long.MIN_VALUE) {
                lost++;
            } else if (i >= 20) { // the first 20 flips warm up both JVMs
                if (arrived < returned) {
                    overtaken++;
                }
                lat.record(Math.max(0, arrived - returned));
            }
            Thread.sleep(pauseMs);
        }
        System.out.printf("push latency after Export returns (background load %.0f points/s): %s; pushed before the "
                + "Export reply arrived: %d; no push within 2 s: %d%n", loadRate, lat.summaryMs(), overtaken, lost);
        if (load != null) {
            LoadGenerator.Snapshot s = load.snapshot(-1);
            load.close();
            System.out.printf("background load sent %d points in %d rpcs, %d rejected%n", s.points(), s.rpcs(), s.rejected());
        }
        otlp.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        scaler.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Arrival time of the first message with {@code result} (skipping others), or MIN_VALUE on timeout. */
    private static long awaitResult(LinkedBlockingQueue<long[]> q, int result, long sinceNanos, long timeoutMs)
            throws InterruptedException {
        long deadline = sinceNanos + timeoutMs * 1_000_000L;
        while (true) {
            long[] m = q.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (m == null) {
                return Long.MIN_VALUE;
            }
            if (m[1] < 0) {
                throw new IllegalStateException("StreamIsActive ended");
            }
            if (m[1] == result) {
                return m[0];
            }
        }
    }
}
