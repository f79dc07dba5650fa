package dev.kedaotel.bench;

import dev.kedaotel.receiver.OtlpGrpcService;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Sends every system the same round every 5 s: the workload advances once, then the peers get it as
 * snappy remote-write requests (≤ {@code batch} series each, compressed once and posted to each peer)
 * and we get it as OTLP/gRPC exports (whole namespaces, ≤ ~{@code batch} series each). Round k is
 * stamped {@code t0 + 5 s × k} (t0 on a 5 s boundary) for all three and starts at that instant; a round
 * that overruns delays the next one (whose timestamp stays on its tick) and is counted as late. Any
 * non-2xx answer, gRPC error or OTLP partial-success rejection stops the feed with an error: an
 * under-fed system would make every figure worthless.
 */
final class PeerFeeder implements AutoCloseable {
    static final long INTERVAL_MS = 5000;

    private final PeerWorkload workload;
    private final List<RemoteWriteBatch> remoteWrite = new ArrayList<>();
    private final List<OtlpBatch> otlp = new ArrayList<>();
    private final List<URI> peers;
    private final ManagedChannel ours;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "feeder");
        t.setDaemon(true);
        return t;
    });
    private final Thread loop;
    private volatile long t0;
    private volatile long rounds;
    private volatile long lastDeliveredTs = -1;
    private volatile long lastDeliveredAtMs;
    private volatile Throwable failure;
    private volatile boolean stop;
    /** Per system (peers in order, then ours): worst delivery time of a round after its tick, ms. */
    private final long[] maxDeliveryMs;
    private final Percentiles roundMs = new Percentiles();
    private volatile int lateRounds;
    private volatile long lastLagMs;
    private volatile long maxLagMs;

    /**
     * @param peers remote-write URLs (may be empty); @param oursOtlpPort 0 when ours is not fed
     */
    PeerFeeder(PeerWorkload workload, List<URI> peers, int oursOtlpPort, int batch) {
        this.workload = workload;
        this.peers = peers;
        long now = System.currentTimeMillis();
        if (!peers.isEmpty()) {
            for (int first = 0; first < workload.series; first += batch) {
                remoteWrite.add(new RemoteWriteBatch(workload, first, Math.min(batch, workload.series - first), now));
            }
        }
        if (oursOtlpPort > 0) {
            int perRequest = Math.max(1, batch / PeerWorkload.PER_NAMESPACE + 1); // 8 namespaces = 10,320 series at batch 10,000
            for (int ns = 0; ns < workload.namespaces; ns += perRequest) {
                otlp.add(new OtlpBatch(workload, ns, Math.min(perRequest, workload.namespaces - ns), now - 3_600_000));
            }
            ours = NettyChannelBuilder.forAddress("127.0.0.1", oursOtlpPort).usePlaintext()
                    .maxInboundMessageSize(16 << 20).build();
        } else {
            ours = null;
        }
        this.maxDeliveryMs = new long[peers.size() + 1];
        this.loop = new Thread(this::run, "rounds");
        loop.setDaemon(true);
    }

    /** Starts the rounds; the first tick is the next 5 s boundary at least 1 s away. */
    void start() {
        t0 = (System.currentTimeMillis() / INTERVAL_MS + 1) * INTERVAL_MS;
        if (t0 - System.currentTimeMillis() < 1000) {
            t0 += INTERVAL_MS;
        }
        loop.start();
    }

    long firstTick() {
        return t0;
    }

    private void run() {
        try {
            for (long k = 0; !stop; k++) {
                long tick = t0 + k * INTERVAL_MS;
                long wait = tick - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                if (stop) {
                    return;
                }
                round(k, tick);
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void round(long k, long tick) throws Exception {
        long start = System.nanoTime();
        workload.advance(k);
        double[] values = workload.values;
        List<Future<Long>> oursDone = new ArrayList<>();
        int oursTasks = Math.min(2, otlp.size());
        for (int t = 0; t < oursTasks; t++) {
            int task = t;
            oursDone.add(pool.submit(() -> {
                for (int i = task; i < otlp.size(); i += oursTasks) {
                    OtlpBatch b = otlp.get(i);
                    b.stamp(tick, values);
                    byte[] reply = ClientCalls.blockingUnaryCall(ours, OtlpGrpcService.EXPORT, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), b.bytes());
                    ExportMetricsServiceResponse r = ExportMetricsServiceResponse.parseFrom(reply);
                    if (r.hasPartialSuccess() && r.getPartialSuccess().getRejectedDataPoints() > 0) {
                        throw new IllegalStateException("ours rejected " + r.getPartialSuccess().getRejectedDataPoints()
                                + " points: " + r.getPartialSuccess().getErrorMessage());
                    }
                }
                return System.currentTimeMillis();
            }));
        }
        // Each peer task compresses its share of batches once and posts each to every peer; per peer it
        // records the time its last request was acknowledged.
        List<Future<long[]>> peersDone = new ArrayList<>();
        int peerTasks = remoteWrite.isEmpty() ? 0 : 2;
        for (int t = 0; t < peerTasks; t++) {
            int task = t;
            peersDone.add(pool.submit(() -> {
                long[] done = new long[peers.size()];
                for (int i = task; i < remoteWrite.size(); i += peerTasks) {
                    RemoteWriteBatch b = remoteWrite.get(i);
                    b.stamp(tick, values);
                    for (int p = 0; p < peers.size(); p++) {
                        post(peers.get(p), b);
                        done[p] = System.currentTimeMillis();
                    }
                }
                return done;
            }));
        }
        for (Future<long[]> f : peersDone) {
            long[] done = f.get(60, TimeUnit.SECONDS);
            for (int p = 0; p < done.length; p++) {
                maxDeliveryMs[p] = Math.max(maxDeliveryMs[p], done[p] - tick);
            }
        }
        for (Future<Long> f : oursDone) {
            maxDeliveryMs[peers.size()] = Math.max(maxDeliveryMs[peers.size()], f.get(60, TimeUnit.SECONDS) - tick);
        }
        long took = System.nanoTime() - start;
        roundMs.record(took);
        long lag = System.currentTimeMillis() - tick;
        lastLagMs = lag;
        maxLagMs = Math.max(maxLagMs, lag);
        if (lag > INTERVAL_MS) {
            lateRounds++;
        }
        synchronized (this) {
            lastDeliveredTs = tick;
            lastDeliveredAtMs = System.currentTimeMillis();
            rounds = k + 1;
            notifyAll();
        }
    }

    private void post(URI uri, RemoteWriteBatch b) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Content-Encoding", "snappy").header("Content-Type", "application/x-protobuf")
                .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(b.compressed(), 0, b.compressedLength())).build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(uri + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** Waits until a round later than {@code afterTs} is delivered to all; returns its timestamp. */
    synchronized long awaitRoundAfter(long afterTs, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (lastDeliveredTs <= afterTs) {
            check();
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new IllegalStateException("no round after " + afterTs + " delivered within " + timeoutMs + " ms");
            }
            wait(Math.min(left, 500));
        }
        return lastDeliveredTs;
    }

    /** Throws the feed's failure, if any. */
    void check() {
        if (failure != null) {
            throw new IllegalStateException("feeding failed (" + progress() + "): " + failure, failure);
        }
    }

    /** Rounds delivered so far and how far behind their ticks: the machine keeps up if lag stays < 5 s. */
    String progress() {
        return String.format("%d rounds delivered, the last %,d ms after its tick, worst %,d ms, %d late (over 5 s)",
                rounds, lastLagMs, maxLagMs, lateRounds);
    }

    long lastDeliveredTs() {
        return lastDeliveredTs;
    }

    long lastDeliveredAtMs() {
        return lastDeliveredAtMs;
    }

    long rounds() {
        return rounds;
    }

    int lateRounds() {
        return lateRounds;
    }

    long maxDeliveryMs(int system) {
        return maxDeliveryMs[system];
    }

    Percentiles roundTimes() {
        return roundMs;
    }

    long remoteWriteBytes() {
        return remoteWrite.stream().mapToLong(RemoteWriteBatch::uncompressedLength).sum();
    }

    long otlpBytes() {
        return otlp.stream().mapToLong(b -> b.bytes().length).sum();
    }

    int remoteWriteRequests() {
        return remoteWrite.size();
    }

    int otlpRequests() {
        return otlp.size();
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        loop.interrupt();
        loop.join(10_000);
        pool.shutdownNow();
        if (ours != null) {
            ours.shutdownNow();
        }
    }
}
