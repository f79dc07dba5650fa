package dev.kedaotel.bench;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One system of the side-by-side comparison, started as a child process on 127.0.0.1 with its own
 * temporary data directory: Debian's Prometheus 2.42, VictoriaMetrics 1.79, or keda-otel-scaler (the
 * shipped launcher or plain {@code java -jar}). Knows its PID (for /proc readings and for stopping it:
 * SIGTERM to that PID, SIGKILL after 20 s), its HTTP API and its readiness URL, and measures
 * start-to-ready (just before exec → first 200 from the readiness URL, polled every 10 ms).
 */
final class PeerProcess implements AutoCloseable {
    final String name;
    final String apiBase;
    final int apiPort;
    private final Process process;
    private final Path dir;
    final long startToReadyMs;

    private PeerProcess(String name, int apiPort, String readyPath, List<String> cmd, Map<String, String> env, Path dir,
                        File log) throws Exception {
        this.name = name;
        this.apiPort = apiPort;
        this.apiBase = "http://127.0.0.1:" + apiPort;
        this.dir = dir;
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log);
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        this.process = pb.start();
        REGISTRY.add(this);
        this.startToReadyMs = awaitReady(readyPath, t0, log);
    }

    /** Every process started and not yet closed, stopped by a shutdown hook if the driver is interrupted. */
    private static final List<PeerProcess> REGISTRY = new java.util.concurrent.CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> REGISTRY.forEach(PeerProcess::close)));
    }

    static PeerProcess prometheus(Path work) throws Exception {
        Path dir = Files.createDirectories(work.resolve("prometheus"));
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 5s\nscrape_configs: []\n");
        requireFreePort(29090);
        return new PeerProcess("prometheus", 29090, "/-/ready", List.of("/usr/bin/prometheus",
                "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                "--storage.tsdb.retention.time=1h", "--web.listen-address=127.0.0.1:29090",
                "--web.enable-remote-write-receiver", "--log.level=warn"), Map.of(), dir, work.resolve("prometheus.log").toFile());
    }

    static PeerProcess victoriaMetrics(Path work) throws Exception {
        Path dir = Files.createDirectories(work.resolve("victoria-metrics"));
        requireFreePort(28428);
        return new PeerProcess("victoria-metrics", 28428, "/health", List.of("/usr/bin/victoria-metrics",
                "-storageDataPath=" + dir.resolve("data"), "-httpListenAddr=127.0.0.1:28428", "-retentionPeriod=1",
                // Its default (300,000) refuses any query or check touching more series, e.g. the counters at 1M;
                // a query limit, not a memory setting.
                // Its query timeout (30 s) to Prometheus' and ours (2 minutes): q5 at 1M can take longer on 2 cores.
                "-search.maxUniqueTimeseries=10000000", "-search.maxQueryDuration=2m", "-loggerLevel=WARN"), Map.of(), dir, work.resolve("victoria-metrics.log").toFile());
    }

    /**
     * Ours: {@code launcher} runs the shipped {@code server/src/main/dist/keda-otel-scaler} with
     * {@code KOS_JAR} set (it execs java, so the PID is the JVM's); {@code plain} runs the README's
     * {@code java -jar server/target/keda-otel-scaler.jar} with no JVM flags.
     */
    static PeerProcess ours(Path work, String mode, Path repo) throws Exception {
        Path jar = repo.resolve("server/target/keda-otel-scaler.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + ": build with mvn -B -q package -DskipTests -pl bench -am");
        }
        for (int port = 24317; port <= 24320; port++) {
            requireFreePort(port);
        }
        List<String> cmd = new ArrayList<>();
        Map<String, String> env = new java.util.HashMap<>();
        env.put("METRIC_STORE_WARM_UP_SECONDS", "0"); // ready at once, as the peers are: /readyz is awaited
        if (mode.equals("launcher")) {
            Path cds = jar.resolveSibling("keda-otel-scaler.jsa");
            System.out.println("  launcher: KOS_JAR=" + jar + (Files.isReadable(cds) ? ", with the CDS archive " + cds
                    : ", no CDS archive next to the jar (the image ships one; bench/scripts/startup.sh measures both)"));
            cmd.add(repo.resolve("server/src/main/dist/keda-otel-scaler").toAbsolutePath().toString());
            env.put("KOS_JAR", jar.toString());
        } else if (mode.equals("plain")) {
            cmd.addAll(List.of("java", "-jar", jar.toString()));
        } else {
            throw new IllegalArgumentException("ours mode must be launcher or plain, got " + mode);
        }
        cmd.addAll(List.of("--otlp-receiver-port=24317", "--keda-external-scaler-port=24318", "--rest-api-port=24319",
                "--internal-metrics-port=24320", "--log-level=warn", "--no-banner=true"));
        return new PeerProcess("ours-" + mode, 24319, "/readyz", cmd, env, null, work.resolve("ours-" + mode + ".log").toFile());
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Median VmRSS in bytes of {@code n} readings {@code 1 s} apart (no GC is forced). */
    long medianRss(int n) throws InterruptedException {
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                Thread.sleep(1000);
            }
            r[i] = ProcStats.rssBytes(pid());
        }
        java.util.Arrays.sort(r);
        return r[n / 2];
    }

    /**
     * Heap used and committed (bytes) from {@code jcmd PID GC.heap_info}, which only reads the
     * collector's counters (no GC); {null} if jcmd is missing or its answer is not understood.
     */
    long[] heapInfo() {
        try {
            Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid()), "GC.heap_info").redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes());
            jcmd.waitFor(30, TimeUnit.SECONDS);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("heap\\s+total (\\d+)K, used (\\d+)K").matcher(out);
            return m.find() ? new long[] {Long.parseLong(m.group(2)) * 1024, Long.parseLong(m.group(1)) * 1024} : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    private long awaitReady(String path, long t0, File log) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(apiBase + path)).timeout(Duration.ofSeconds(2)).build();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException(name + " not ready within 60 s; see " + log);
    }

    /** Fails loudly if something (a stale run, another agent) already listens on {@code port}. */
    static void requireFreePort(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        } catch (IOException free) {
            return;
        }
        throw new IllegalStateException("127.0.0.1:" + port + " is already in use; stop that process first");
    }

    @Override
    public void close() {
        REGISTRY.remove(this);
        process.destroy(); // SIGTERM to this PID only
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (dir != null) {
            deleteTree(dir);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not remove " + root + ": " + e);
        }
    }
}
