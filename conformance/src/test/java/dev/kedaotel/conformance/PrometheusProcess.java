package dev.kedaotel.conformance;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus loaded with the dataset: the samples are written as OpenMetrics, backfilled with
 * {@code promtool tsdb create-blocks-from openmetrics} (exact timestamps) and served by
 * {@code prometheus} with an empty scrape config on a free loopback port.
 */
final class PrometheusProcess implements AutoCloseable {
    private final Process process;
    final int port;
    final Path dir;

    private PrometheusProcess(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    static boolean installed() {
        return onPath("prometheus") && onPath("promtool");
    }

    static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, exe))) {
                return true;
            }
        }
        return false;
    }

    static PrometheusProcess start(Dataset data, Path workDir) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Path om = workDir.resolve("dataset.om");
        Files.writeString(om, openMetrics(data.prometheusSamples()), StandardCharsets.UTF_8);
        Path tsdb = workDir.resolve("tsdb");
        run(List.of("promtool", "tsdb", "create-blocks-from", "openmetrics", om.toString(), tsdb.toString()), workDir);
        Path config = workDir.resolve("prometheus.yml");
        Files.writeString(config, "global: {}\n");
        int port = freePort();
        Path log = workDir.resolve("prometheus.log");
        Process p = new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + tsdb,
                "--storage.tsdb.retention.time=10y", "--web.listen-address=127.0.0.1:" + port,
                "--query.lookback-delta=5m", "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusProcess pp = new PrometheusProcess(p, port, workDir);
        pp.awaitReady(log);
        return pp;
    }

    /** One line per sample, all sorted by time so every series is appended in order. */
    static String openMetrics(Map<String, List<double[]>> samples) {
        List<Object[]> lines = new ArrayList<>();
        for (Map.Entry<String, List<double[]>> e : samples.entrySet()) {
            for (double[] s : e.getValue()) {
                lines.add(new Object[] {(long) s[0], e.getKey(), s[1]});
            }
        }
        lines.sort((a, b) -> Long.compare((Long) a[0], (Long) b[0]));
        StringBuilder sb = new StringBuilder();
        for (Object[] l : lines) {
            long ts = (Long) l[0];
            sb.append(l[1]).append(' ').append(omValue((Double) l[2])).append(' ')
                    .append(ts / 1000).append('.').append(String.format("%03d", ts % 1000)).append('\n');
        }
        return sb.append("# EOF\n").toString();
    }

    private static String omValue(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return Double.toString(v);
    }

    private static void run(List<String> cmd, Path workDir) throws IOException, InterruptedException {
        Path out = workDir.resolve(cmd.get(0) + ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(cmd + " did not finish in 60 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(cmd + " failed: " + Files.readString(out));
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void awaitReady(Path log) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("prometheus exited: " + Files.readString(log));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        close();
        throw new IOException("prometheus not ready within 30 s: " + Files.readString(log));
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteRecursively(dir);
    }

    /** The backfilled TSDB is rebuilt on every run; do not let target/ accumulate them. */
    private static void deleteRecursively(Path root) {
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: it is only build output
        }
    }
}
