package dev.kedaotel.bench;

import dev.kedaotel.receiver.OtlpGrpcService;
import dev.kedaotel.scaler.externalscaler.ExternalScalerGrpc;
import dev.kedaotel.scaler.externalscaler.GetMetricsRequest;
import dev.kedaotel.scaler.externalscaler.IsActiveResponse;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak run of the robustness issue: the server as the README runs it in its container (the
 * launcher's JVM flags, a child process on loopback ports) under a steady mixed load for a bounded time,
 * sampling what an operator would watch.
 *
 * <p>Load, all at once, for {@code --minutes} (default 30):
 * <ul>
 *   <li>ingest: {@code --series} counters (default 20,000) exported over OTLP/gRPC every 5 s with the
 *       clock's timestamps (a full 2-minute window after 2 minutes);</li>
 *   <li>KEDA-like clients: {@code --scaled-objects} (default 20) ScaledObjects polled with GetMetrics and
 *       IsActive every second, and as many StreamIsActive streams kept open;</li>
 *   <li>queries: a {@code query_range} over the last 10 minutes and an instant {@code sum(rate(...))} every
 *       2 s through the HTTP API;</li>
 *   <li>slow clients: 8 connections on the HTTP port and 4 on the self-metrics port dripping a header byte
 *       per second, replaced every 60 s.</li>
 * </ul>
 * Every 30 s it prints one row: resident memory (VmRSS, no forced GC), heap used, GC pause time and
 * count since the last row (from the server's own {@code jvm_gc_pause_seconds} self-metrics), and the
 * errors each client kind saw so far. It exits 0 only if no client saw an error.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.kedaotel.bench.SoakProbe --minutes 30</pre>
 */
public final class SoakProbe {
    private static final int BASE_PORT = 34317;

    private final AtomicLong exportErrors = new AtomicLong();
    private final AtomicLong exports = new AtomicLong();
    private final AtomicLong kedaErrors = new AtomicLong();
    private final AtomicLong kedaCalls = new AtomicLong();
    private final AtomicLong streamErrors = new AtomicLong();
    private final AtomicLong streamMessages = new AtomicLong();
    private final AtomicLong queryErrors = new AtomicLong();
    private final AtomicLong queries = new AtomicLong();
    private final AtomicLong probeErrors = new AtomicLong();
    private final AtomicLong probes = new AtomicLong();
    /** Set before the probe closes its own channels: what fails after that is not the server's doing. */
    private volatile boolean stopping;

    private SoakProbe() {
    }

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, "minutes", "series", "scaled-objects", "server-jvm-flags");
        new SoakProbe().run(a.number("minutes", 30), a.integer("series", 20_000), a.integer("scaled-objects", 20),
                a.has("server-jvm-flags") ? a.string("server-jvm-flags", "") : MemoryProbe.launcherFlags());
    }

    private void run(double minutes, int series, int scaledObjects, String jvmFlags) throws Exception {
        long endNanos = System.nanoTime() + (long) (minutes * 60e9);
        try (MemoryProbe.ServerProcess server = MemoryProbe.ServerProcess.start(jvmFlags, BASE_PORT)) {
            long pid = server.process.pid();
            ManagedChannel otlp = NettyChannelBuilder.forAddress("127.0.0.1", BASE_PORT).usePlaintext().build();
            ManagedChannel keda = NettyChannelBuilder.forAddress("127.0.0.1", BASE_PORT + 1).usePlaintext().build();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            List<OtlpRequests> reqs = OtlpRequests.covering(series, 1_000);
            ScheduledExecutorService load = Executors.newScheduledThreadPool(4);
            AtomicLong round = new AtomicLong();
            load.scheduleAtFixedRate(() -> exportRound(otlp, reqs, round.incrementAndGet()), 0, 5, TimeUnit.SECONDS);
            List<ScaledObjectRef> refs = new ArrayList<>();
            for (int i = 0; i < scaledObjects; i++) {
                refs.add(ScaledObjectRef.newBuilder().setNamespace("soak").setName("so-" + i)
                        .putScalerMetadata("metricQuery", "sum(bench_requests_total{pod=\"pod-" + i + "\"})")
                        .putScalerMetadata("operationOverTime", i % 2 == 0 ? "last_one" : "rate")
                        .putScalerMetadata("targetValue", "10").build());
                openStream(keda, refs.get(i));
            }
            load.scheduleAtFixedRate(() -> poll(keda, refs), 1, 1, TimeUnit.SECONDS);
            load.scheduleAtFixedRate(() -> query(http), 2, 2, TimeUnit.SECONDS);
            List<Socket> slow = new ArrayList<>();
            long nextSlowRefresh = 0;
            System.out.println("minute\trss_mib\theap_used_mib\tgc_pause_ms\tgc_count\texports\texport_err\tkeda_calls\tkeda_err\tstream_msgs\tstream_err\tqueries\tquery_err\tprobes\tprobe_err");
            double lastPauseSum = server.selfMetric("jvm_gc_pause_seconds_sum");
            double lastPauseCount = server.selfMetric("jvm_gc_pause_seconds_count");
            long start = System.nanoTime();
            long nextRow = start + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < endNanos) {
                if (System.nanoTime() >= nextSlowRefresh) {
                    for (Socket s : slow) {
                        s.close();
                    }
                    slow.clear();
                    for (int i = 0; i < 12; i++) {
                        slow.add(openSlow(i < 8 ? BASE_PORT + 2 : BASE_PORT + 3));
                    }
                    nextSlowRefresh = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                }
                for (Socket s : slow) {
                    try {
                        s.getOutputStream().write('x');
                        s.getOutputStream().flush();
                    } catch (java.io.IOException closedByServer) {
                        // the server may shed it; a new one comes with the next refresh
                    }
                }
                probe(http);
                Thread.sleep(1000);
                if (System.nanoTime() >= nextRow) {
                    double pauseSum = server.selfMetric("jvm_gc_pause_seconds_sum");
                    double pauseCount = server.selfMetric("jvm_gc_pause_seconds_count");
                    System.out.printf("%.1f\t%.1f\t%.1f\t%.1f\t%.0f\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d%n",
                            (System.nanoTime() - start) / 60e9, ProcStats.rssBytes(pid) / 1048576.0,
                            server.selfMetric("jvm_memory_used_bytes{area=\"heap\"") / 1048576.0,
                            (pauseSum - lastPauseSum) * 1000, pauseCount - lastPauseCount,
                            exports.get(), exportErrors.get(), kedaCalls.get(), kedaErrors.get(),
                            streamMessages.get(), streamErrors.get(), queries.get(), queryErrors.get(), probes.get(), probeErrors.get());
                    lastPauseSum = pauseSum;
                    lastPauseCount = pauseCount;
                    nextRow += TimeUnit.SECONDS.toNanos(30);
                }
            }
            stopping = true;
            load.shutdownNow();
            load.awaitTermination(10, TimeUnit.SECONDS);
            for (Socket s : slow) {
                s.close();
            }
            otlp.shutdownNow();
            keda.shutdownNow();
            long errors = exportErrors.get() + kedaErrors.get() + streamErrors.get() + queryErrors.get() + probeErrors.get();
            System.out.println(errors == 0 ? "soak: 0 errors" : "soak: " + errors + " errors");
            if (errors != 0) {
                System.exit(1);
            }
        }
    }

    private void exportRound(ManagedChannel ch, List<OtlpRequests> reqs, long round) {
        long ts = System.currentTimeMillis();
        for (OtlpRequests r : reqs) {
            try {
                byte[] copy;
                synchronized (r) {
                    r.stamp(ts, round);
                    copy = r.bytes().clone();
                }
                ClientCalls.blockingUnaryCall(ch, OtlpGrpcService.EXPORT, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), copy);
                exports.incrementAndGet();
            } catch (RuntimeException e) {
                error("export: " + e, exportErrors);
            }
        }
    }

    private void poll(ManagedChannel ch, List<ScaledObjectRef> refs) {
        ExternalScalerGrpc.ExternalScalerBlockingStub stub = ExternalScalerGrpc.newBlockingStub(ch);
        for (ScaledObjectRef ref : refs) {
            try {
                stub.withDeadlineAfter(10, TimeUnit.SECONDS).getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(ref)
                        .setMetricName("soak-" + ref.getName()).build());
                stub.withDeadlineAfter(10, TimeUnit.SECONDS).isActive(ref);
                kedaCalls.addAndGet(2);
            } catch (RuntimeException e) {
                error("keda: " + e, kedaErrors);
            }
        }
    }

    private void openStream(ManagedChannel ch, ScaledObjectRef ref) {
        ExternalScalerGrpc.newStub(ch).streamIsActive(ref, new StreamObserver<IsActiveResponse>() {
            @Override
            public void onNext(IsActiveResponse value) {
                streamMessages.incrementAndGet();
            }

            @Override
            public void onError(Throwable t) {
                if (!(t instanceof io.grpc.StatusRuntimeException sre && sre.getStatus().getCode() == io.grpc.Status.Code.CANCELLED)) {
                    error("stream: " + t, streamErrors);
                }
            }

            @Override
            public void onCompleted() {
                error("stream: completed by the server", streamErrors);
            }
        });
    }

    private void query(HttpClient http) {
        long now = System.currentTimeMillis() / 1000;
        String[] urls = {
            "/api/v1/query_range?query=" + enc("sum by (pod) (rate(bench_requests_total[1m]))") + "&start=" + (now - 600)
                    + "&end=" + now + "&step=15",
            "/api/v1/query?query=" + enc("sum(rate(bench_requests_total[1m]))"),
        };
        for (String u : urls) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (BASE_PORT + 2) + u))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    error("query: HTTP " + r.statusCode() + " " + r.body(), queryErrors);
                } else {
                    queries.incrementAndGet();
                }
            } catch (Exception e) {
                error("query: " + e, queryErrors);
            }
        }
    }

    private void probe(HttpClient http) {
        for (String path : new String[] {"/healthz", "/readyz"}) {
            try {
                int status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (BASE_PORT + 2) + path))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status != 200) {
                    error("probe " + path + ": HTTP " + status, probeErrors);
                } else {
                    probes.incrementAndGet();
                }
            } catch (Exception e) {
                error("probe " + path + ": " + e, probeErrors);
            }
        }
    }

    private void error(String what, AtomicLong counter) {
        if (stopping) {
            return;
        }
        if (counter.incrementAndGet() <= 3) {
            System.out.println("error: " + what);
        }
    }

    private static Socket openSlow(int port) throws java.io.IOException {
        Socket s = new Socket("127.0.0.1", port);
        OutputStream out = s.getOutputStream();
        out.write("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
