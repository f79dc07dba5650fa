package dev.kedaotel.bench;

import dev.kedaotel.receiver.OtlpGrpcService;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends pre-encoded OTLP/gRPC Export requests to a running server and reports what the server
 * acknowledged: points/s, RPC latency percentiles, partial-success rejections and the server's CPU time
 * per point (from /proc/[pid]/stat before and after the measured interval).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.kedaotel.bench.LoadGenerator \
 *   --port 4317 --series 100000 --points 1000 --concurrency 2 --duration 20 [--warmup 5] [--rate 0] [--pid N]
 *   [--http-port 9090]
 * </pre>
 * With {@code --http-port} the same requests go over OTLP/HTTP ({@code POST /v1/metrics}, protobuf, one
 * kept-alive HTTP/1.1 connection per worker through the JDK client) instead of gRPC; {@code --port} still
 * names the server (its process is found by that port).
 * Every series is created during an unmeasured first pass, so the measured interval appends to
 * existing series only. Each worker owns every {@code concurrency}-th request and stamps it with the
 * wall-clock time, or 1 ms after that request's previous timestamp if the clock has not moved on, so no
 * sample is a duplicate and timestamps stay at the wall clock (runs one after another never go back). {@code --rate} caps
 * the total points/s (0 = as fast as the server answers).
 */
public final class LoadGenerator implements AutoCloseable {
    private final String host;
    private final int port;
    private final int concurrency;
    private final double pointsPerSecond;
    private final List<OtlpRequests> requests;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Worker> workers = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    /** 0 = OTLP/gRPC on {@link #port}; else OTLP/HTTP on this port. */
    private int httpPort;

    public LoadGenerator(String host, int port, int series, int pointsPerRequest, int concurrency, double pointsPerSecond) {
        this.host = host;
        this.port = port;
        this.concurrency = concurrency;
        this.pointsPerSecond = pointsPerSecond;
        this.requests = OtlpRequests.covering(series, pointsPerRequest);
        if (requests.size() < concurrency) {
            throw new IllegalArgumentException("need at least one request per worker: series/points >= concurrency");
        }
    }

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, "host", "port", "series", "points", "concurrency", "duration", "warmup", "rate", "pid", "http-port");
        String host = a.string("host", "127.0.0.1");
        int port = a.integer("port", 4317);
        int series = a.integer("series", 100_000);
        int points = a.integer("points", 1000);
        int concurrency = a.integer("concurrency", 2);
        int duration = a.integer("duration", 20);
        int warmup = a.integer("warmup", 5);
        double rate = a.number("rate", 0);
        long pid = ProcStats.resolvePid(a.longValue("pid", -1), port);
        try (LoadGenerator gen = new LoadGenerator(host, port, series, points, concurrency, rate)) {
            gen.httpPort = a.integer("http-port", 0);
            gen.createSeries();
            gen.start();
            Thread.sleep(warmup * 1000L);
            Snapshot before = gen.snapshot(pid);
            Thread.sleep(duration * 1000L);
            Snapshot after = gen.snapshot(pid);
            gen.stopWorkers();
            report(series, points, concurrency, pid, before, after, gen.latencies());
        }
    }

    /** Sends every request once (unmeasured), so later requests only touch existing series. */
    public void createSeries() {
        Exporter exporter = exporter();
        long ts = System.currentTimeMillis() - 1000;
        for (OtlpRequests r : requests) {
            r.stamp(ts, 0);
            exporter.export(r.bytes());
        }
    }

    /** One way of sending an Export request and getting its response bytes. */
    interface Exporter {
        byte[] export(byte[] request);
    }

    private Exporter exporter() {
        if (httpPort == 0) {
            ManagedChannel ch = channel();
            return request -> ClientCalls.blockingUnaryCall(ch, OtlpGrpcService.EXPORT, CallOptions.DEFAULT, request);
        }
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        java.net.URI uri = java.net.URI.create("http://" + host + ":" + httpPort + "/v1/metrics");
        return request -> {
            try {
                java.net.http.HttpResponse<byte[]> r = client.send(java.net.http.HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/x-protobuf")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(request)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("OTLP/HTTP " + r.statusCode() + ": " + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
                }
                return r.body();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        };
    }

    /** Starts the sending threads. */
    public void start() {
        for (int w = 0; w < concurrency; w++) {
            List<OtlpRequests> mine = new ArrayList<>();
            for (int i = w; i < requests.size(); i += concurrency) {
                mine.add(requests.get(i));
            }
            Worker worker = new Worker(mine, exporter(), pointsPerSecond / concurrency);
            workers.add(worker);
            Thread t = new Thread(worker, "loadgen-" + w);
            t.setDaemon(true);
            worker.thread = t;
            t.start();
        }
    }

    private ManagedChannel channel() {
        ManagedChannel ch = NettyChannelBuilder.forAddress(host, port).usePlaintext()
                .maxInboundMessageSize(16 << 20).build();
        channels.add(ch);
        return ch;
    }

    /** Counters summed over workers (each read is a racy but monotonic snapshot, fine for rates). */
    Snapshot snapshot(long pid) {
        long points = 0;
        long rejected = 0;
        long rpcs = 0;
        for (Worker w : workers) {
            points += w.points;
            rejected += w.rejected;
            rpcs += w.rpcs;
        }
        return new Snapshot(System.nanoTime(), points, rejected, rpcs, pid > 0 ? ProcStats.cpuNanos(pid) : 0);
    }

    Percentiles latencies() {
        Percentiles all = new Percentiles();
        for (Worker w : workers) {
            all.addAll(w.latency);
        }
        return all;
    }

    void stopWorkers() throws InterruptedException {
        running.set(false);
        for (Worker w : workers) {
            w.thread.join(10_000);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopWorkers();
        for (ManagedChannel ch : channels) {
            ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    record Snapshot(long nanos, long points, long rejected, long rpcs, long serverCpuNanos) {
    }

    static void report(int series, int points, int concurrency, long pid, Snapshot b, Snapshot a, Percentiles lat) {
        double secs = (a.nanos() - b.nanos()) / 1e9;
        long sent = a.points() - b.points();
        long rejected = a.rejected() - b.rejected();
        long acked = sent - rejected;
        double cpu = (a.serverCpuNanos() - b.serverCpuNanos()) / 1e9;
        System.out.printf("series=%d points/request=%d concurrency=%d interval=%.1fs%n", series, points, concurrency, secs);
        System.out.printf("acknowledged points/s = %.0f  (rpcs=%d, rejected points=%d)%n", acked / secs, a.rpcs() - b.rpcs(), rejected);
        System.out.printf("rpc latency %s%n", lat.summaryMs());
        System.out.printf("server pid %d cpu = %.2f s over %.1f s (%.2f cores); cpu per acknowledged point = %.3f us%n",
                pid, cpu, secs, cpu / secs, acked == 0 ? Double.NaN : cpu * 1e6 / acked);
    }

    /** One sending thread: round-robin over its requests, blocking unary calls. */
    private final class Worker implements Runnable {
        final List<OtlpRequests> mine;
        final Exporter exporter;
        final long nanosPerRequest;
        final Percentiles latency = new Percentiles();
        volatile long points;
        volatile long rejected;
        volatile long rpcs;
        Thread thread;

        Worker(List<OtlpRequests> mine, Exporter exporter, double pointsPerSecond) {
            this.mine = mine;
            this.exporter = exporter;
            this.nanosPerRequest = pointsPerSecond <= 0 ? 0 : (long) (mine.get(0).points() * 1e9 / pointsPerSecond);
        }

        @Override
        public void run() {
            // Per request (= per set of series), so a timestamp only has to beat that request's previous
            // one: one global "previous + 1 ms" ran ahead of the wall clock by ~0.3 s per second above
            // 1,000 requests/s per worker, and the next run's wall-clock timestamps were then rejected
            // as out of order by the series the previous run had pushed into the future.
            long[] lastTs = new long[mine.size()];
            long next = System.nanoTime();
            double counter = 0;
            int i = 0;
            while (running.get()) {
                if (nanosPerRequest > 0) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    next += nanosPerRequest;
                }
                OtlpRequests r = mine.get(i);
                int slot = i;
                if (++i == mine.size()) {
                    i = 0;
                    counter += 1;
                }
                long ts = Math.max(System.currentTimeMillis(), lastTs[slot] + 1);
                lastTs[slot] = ts;
                r.stamp(ts, counter);
                long t0 = System.nanoTime();
                byte[] reply;
                try {
                    reply = exporter.export(r.bytes());
                } catch (RuntimeException e) {
                    if (!running.get()) {
                        return;
                    }
                    throw e;
                }
                latency.record(System.nanoTime() - t0);
                long rej = 0;
                if (reply.length > 0) {
                    try {
                        rej = ExportMetricsServiceResponse.parseFrom(reply).getPartialSuccess().getRejectedDataPoints();
                    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        throw new IllegalStateException("unparseable Export response", e);
                    }
                }
                rejected = rejected + rej;
                points = points + r.points();
                rpcs = rpcs + 1;
            }
        }
    }
}
