package dev.kedaotel.bench;

import dev.kedaotel.receiver.OtlpGrpcService;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Resident memory per active series. For each series count S it starts a fresh server process (the
 * launcher's JVM flags, this jar's classpath), feeds S series with a full 2-minute window at 5 s (24
 * samples each) over OTLP/gRPC, checks through the HTTP API that S×24 samples are stored, runs a GC
 * in the server ({@code jcmd GC.run}) and reads its VmRSS. Reports RSS per S and the marginal bytes per
 * series between consecutive counts and against the idle server.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.kedaotel.bench.MemoryProbe --counts 10000,100000,300000,1000000 [--values counter|gauge|random]
 * </pre>
 * Values are realistic per series, because compressed sample storage depends on them ({@link Workload}):
 * {@code counter} (default) a cumulative counter growing by a pseudo-random integer 0..50 per 5 s,
 * {@code gauge} a small integer 0..20 (even series) or a fraction in [0,1) (odd series, like vLLM's
 * {@code gpu_cache_usage_perc}), {@code random} finite doubles with random bits. Timestamps are 5 s
 * apart plus a per-round jitter of 0..7 ms (exporters are not exact). All of it is seeded.
 * The sample timestamps end slightly in the future (by the expected feed time) so that every series'
 * oldest sample is still inside the retention window when its ring decides whether to grow; memory
 * does not depend on where the window sits. The JVM flags are the launcher's
 * ({@code server/src/main/dist/keda-otel-scaler}, run from the repository root); {@code --server-jvm-flags} overrides them.
 */
public final class MemoryProbe {
    /**
     * The launcher's JVM flags (its KOS_JVM_FLAGS line), so the probe measures the shipped configuration,
     * plus its KOS_CLASSPATH_FLAGS: the probes start the server with -cp, where the jar manifest's
     * Add-Opens/Add-Exports do not apply.
     */
    static String launcherFlags() throws java.io.IOException {
        java.nio.file.Path launcher = java.nio.file.Path.of("server/src/main/dist/keda-otel-scaler");
        List<String> lines = java.nio.file.Files.readAllLines(launcher);
        return launcherVariable(lines, "KOS_JVM_FLAGS") + " " + launcherVariable(lines, "KOS_CLASSPATH_FLAGS");
    }

    private static String launcherVariable(List<String> lines, String name) {
        for (String line : lines) {
            if (line.startsWith(name + "=\"")) {
                return line.substring(name.length() + 2, line.length() - 1);
            }
        }
        throw new IllegalStateException("no " + name + " line in the launcher (run from the repository root)");
    }

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, "counts", "server-jvm-flags", "base-port", "feed-rate", "values");
        Workload workload = Workload.of(a.string("values", "counter"));
        String[] counts = a.string("counts", "10000,100000,300000,1000000").split(",");
        String flags = a.has("server-jvm-flags") ? a.string("server-jvm-flags", "") : launcherFlags();
        int basePort = a.integer("base-port", 14317);
        double feedRate = a.number("feed-rate", 300_000);
        long idle = -1;
        long prevRss = -1;
        int prevS = 0;
        System.out.printf("%10s %12s %13s %10s %9s %11s %17s %18s%n", "series", "samples", "RSS noGC MiB", "VmRSS MiB",
                "heap MiB", "direct MiB", "B/series vs idle", "B/series marginal");
        for (String c : counts) {
            int s = Integer.parseInt(c.trim());
            try (ServerProcess server = ServerProcess.start(flags, basePort)) {
                long idleRss = server.rssAfterGc();
                idle = idle < 0 ? idleRss : Math.min(idle, idleRss);
                long end = feed(server.otlpPort, s, feedRate, workload);
                long samples = server.queryScalar("sum(count_over_time(" + OtlpRequests.METRIC + "[3m]))", end);
                long rssNoGc = ProcStats.rssBytes(server.process.pid());
                long rss = server.rssAfterGc();
                double heap = server.selfMetric("jvm_memory_used_bytes{area=\"heap\"");
                double direct = server.selfMetric("jvm_buffer_memory_used_bytes{id=\"direct\"");
                System.out.printf("%10d %12d %13.1f %10.1f %9.1f %11.1f %17.0f %18s%n", s, samples, rssNoGc / 1048576.0,
                        rss / 1048576.0, heap / 1048576.0, direct / 1048576.0, (rss - idleRss) / (double) s,
                        prevRss < 0 ? "-" : String.format("%.0f", (rss - prevRss) / (double) (s - prevS)));
                prevRss = rss;
                prevS = s;
            }
        }
        System.out.printf("idle server VmRSS after GC: %.1f MiB; values: %s%n", idle / 1048576.0, workload.name);
    }

    /**
     * 24 rounds over all series, timestamps 5 s apart (plus the round's jitter), ending {@code feed time}
     * in the future; returns the last round's nominal timestamp plus the largest jitter.
     */
    static long feed(int port, int series, double pointsPerSecond, Workload workload) throws InterruptedException {
        long expectedMs = (long) (series * 24L * 1000 / pointsPerSecond) + 5000;
        long end = System.currentTimeMillis() + expectedMs;
        List<OtlpRequests> reqs = OtlpRequests.covering(series, Math.min(series, 1000));
        double[] values = new double[series];
        workload.start(values);
        List<ManagedChannel> chans = channels(port, 2);
        for (int k = 0; k < 24; k++) {
            long ts = end - (23 - k) * 5000L + Workload.jitterMs(k);
            workload.advance(values, k);
            sendRound(chans, reqs, (r, i) -> r.stamp(ts, values, i * reqs.get(0).points()));
        }
        close(chans);
        return end + Workload.MAX_JITTER_MS;
    }

    /** Per-series sample values of the probe's workloads, seeded, computed per round (not per send). */
    enum Workload {
        COUNTER("counter"), GAUGE("gauge"), RANDOM("random");

        static final int MAX_JITTER_MS = 7;
        final String name;

        Workload(String name) {
            this.name = name;
        }

        static Workload of(String name) {
            for (Workload w : values()) {
                if (w.name.equals(name)) {
                    return w;
                }
            }
            throw new IllegalArgumentException("--values must be counter, gauge or random, got " + name);
        }

        /** 0..7 ms, the same for every series of round {@code k} (one exporter stamps one batch). */
        static long jitterMs(int k) {
            return mix(0x1234_5678L, k, 0) & MAX_JITTER_MS;
        }

        void start(double[] v) {
            for (int i = 0; i < v.length; i++) {
                v[i] = this == COUNTER ? (double) (mix(7, i, -1) & 0xFFFF) : 0;
            }
        }

        /** The values of round {@code k}. */
        void advance(double[] v, int k) {
            for (int i = 0; i < v.length; i++) {
                long r = mix(42, i, k);
                switch (this) {
                    case COUNTER -> v[i] += Long.remainderUnsigned(r, 51);
                    case GAUGE -> v[i] = (i & 1) == 0 ? Long.remainderUnsigned(r, 21) : (r >>> 11) * 0x1.0p-53;
                    default -> {
                        double d = Double.longBitsToDouble(r);
                        v[i] = Double.isFinite(d) ? d : Double.longBitsToDouble(r & 0xBFEF_FFFF_FFFF_FFFFL);
                    }
                }
            }
        }

        /** SplitMix64 finaliser over (seed, series, round): a stateless, seeded pseudo-random long. */
        static long mix(long seed, long series, long round) {
            long z = seed * 0x9E37_79B9_7F4A_7C15L + series * 0xBF58_476D_1CE4_E5B9L + round * 0x94D0_49BB_1331_11EBL;
            z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
            return z ^ (z >>> 31);
        }
    }

    /** Sends {@code reqs} 24 times, with timestamps 5 s apart ending at {@code end}, value = round number. */
    static void feed(int port, List<OtlpRequests> reqs, long end) throws InterruptedException {
        List<ManagedChannel> chans = channels(port, 2);
        for (int k = 0; k < 24; k++) {
            long ts = end - (23 - k) * 5000L;
            final int round = k;
            sendRound(chans, reqs, (r, i) -> r.stamp(ts, round));
        }
        close(chans);
    }

    /** How one request is stamped before it is sent: request, its index in the list. */
    interface Stamper {
        void stamp(OtlpRequests r, int index);
    }

    private static List<ManagedChannel> channels(int port, int n) {
        List<ManagedChannel> chans = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            chans.add(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build());
        }
        return chans;
    }

    private static void close(List<ManagedChannel> chans) throws InterruptedException {
        for (ManagedChannel ch : chans) {
            ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Sends every request once, one thread per channel, each request stamped just before its copy is taken. */
    private static void sendRound(List<ManagedChannel> chans, List<OtlpRequests> reqs, Stamper stamper)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (ManagedChannel ch : chans) {
            Thread th = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < reqs.size(); i = next.getAndIncrement()) {
                    OtlpRequests r = reqs.get(i);
                    byte[] copy;
                    synchronized (r) {
                        stamper.stamp(r, i);
                        copy = r.bytes().clone();
                    }
                    ClientCalls.blockingUnaryCall(ch, OtlpGrpcService.EXPORT, CallOptions.DEFAULT, copy);
                }
            });
            th.start();
            threads.add(th);
        }
        for (Thread th : threads) {
            th.join();
        }
    }

    /** A server started as a child process on fixed ports, killed on close. */
    static final class ServerProcess implements AutoCloseable {
        final Process process;
        final int otlpPort;
        final int httpPort;

        private ServerProcess(Process process, int otlpPort, int httpPort) {
            this.process = process;
            this.otlpPort = otlpPort;
            this.httpPort = httpPort;
        }

        static ServerProcess start(String jvmFlags, int basePort) throws Exception {
            String java = ProcessHandle.current().info().command().orElse("java");
            String cp = System.getProperty("java.class.path");
            List<String> cmd = new ArrayList<>();
            cmd.add(java);
            cmd.addAll(List.of(jvmFlags.trim().split("\\s+")));
            cmd.addAll(List.of("-cp", cp, "dev.kedaotel.server.Main",
                    "--otlp-receiver-port=" + basePort, "--keda-external-scaler-port=" + (basePort + 1),
                    "--rest-api-port=" + (basePort + 2), "--internal-metrics-port=" + (basePort + 3), "--no-banner=true",
                    "--log-level=warn"));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(new File("/tmp/memoryprobe-server.log"));
            pb.environment().put("METRIC_STORE_WARM_UP_SECONDS", "0"); // ready (awaited below) at once
            Process p = pb.start();
            ServerProcess s = new ServerProcess(p, basePort, basePort + 2);
            s.awaitReady();
            return s;
        }

        void awaitReady() throws Exception {
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("server exited with " + process.exitValue() + ", see /tmp/memoryprobe-server.log");
                }
                try {
                    if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/readyz")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                        return;
                    }
                } catch (java.io.IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(50);
            }
            throw new IllegalStateException("server not ready within 30 s");
        }

        long rssAfterGc() throws Exception {
            Process jcmd = new ProcessBuilder("jcmd", Long.toString(process.pid()), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            jcmd.waitFor(60, TimeUnit.SECONDS);
            Thread.sleep(2000);
            return ProcStats.rssBytes(process.pid());
        }

        /** Sum of the self-metrics samples whose line starts with {@code prefix} (JVM heap / direct memory). */
        double selfMetric(String prefix) throws Exception {
            HttpClient http = HttpClient.newHttpClient();
            String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (httpPort + 1) + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            double sum = 0;
            for (String line : body.split("\n")) {
                if (line.startsWith(prefix)) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return sum;
        }

        /** Value of an instant query whose answer is one sample, evaluated at {@code timeMs}. */
        long queryScalar(String promql, long timeMs) throws Exception {
            HttpClient http = HttpClient.newHttpClient();
            double time = timeMs / 1000.0;
            String url = "http://127.0.0.1:" + httpPort + "/api/v1/query?query="
                    + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time=" + time;
            String body = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
            int v = body.lastIndexOf(",\"");
            if (v < 0) {
                return -1;
            }
            String num = body.substring(v + 2, body.indexOf('"', v + 2));
            return (long) Double.parseDouble(num);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
