package dev.kedaotel.bench;

import dev.kedaotel.model.TimeSource;
import dev.kedaotel.tsdb.Appender;
import dev.kedaotel.tsdb.LabelSetBuilder;
import dev.kedaotel.tsdb.RestoreReport;
import dev.kedaotel.tsdb.SampleBuffer;
import dev.kedaotel.tsdb.StoreConfig;
import dev.kedaotel.tsdb.SymbolTable;
import dev.kedaotel.tsdb.TimeSeriesStore;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Restore time and memory of a persisted window (issue 14): a child process fills a store on a data
 * directory with {@code --series} counters ({@code bench_requests_total{k8s_namespace_name, pod, series}},
 * +0..50 per 5 s, 0-7 ms timestamp jitter, a full 120 s window = 24 samples each), then either closes it
 * cleanly or halts without closing (as a crash: nothing forced, nothing unmapped); then, {@code --runs}
 * times, a fresh child process (the launcher's JVM flags) opens the store and prints the open's wall and
 * CPU time, series per second, the data directory's size on disk, and its RSS split into anonymous and
 * file-backed pages (/proc/self/status RssAnon, RssFile, RssShmem; no GC forced), after checking a sample
 * of series reads back.
 *
 * <pre>
 * nice -n 10 java -cp bench/target/benchmarks.jar dev.kedaotel.bench.RestoreProbe --series 1000000 --runs 3
 * </pre>
 * The data directory is under {@code --dir} (default: java.io.tmpdir) and deleted at the end.
 */
public final class RestoreProbe {
    static final long T0 = 1_700_000_000_000L;
    static final int SAMPLES = 24;
    static final long STEP_MS = 5_000;

    private RestoreProbe() {
    }

    public static void main(String[] args) throws Exception {
        Args a = new Args(args, "series", "runs", "dir", "phase", "data", "clean");
        int series = a.integer("series", 1_000_000);
        String phase = a.string("phase", "drive");
        if (phase.equals("build")) {
            build(Path.of(a.string("data", "")), series, Boolean.parseBoolean(a.string("clean", "true")));
            return;
        }
        if (phase.equals("open")) {
            open(Path.of(a.string("data", "")), series);
            return;
        }
        int runs = a.integer("runs", 3);
        Path base = Files.createTempDirectory(Path.of(a.string("dir", System.getProperty("java.io.tmpdir"))), "restore-probe");
        try {
            child("build", null, series); // the same data without persistence: RSS for comparison
            for (boolean clean : new boolean[] {true, false}) {
                Path data = base.resolve(clean ? "clean" : "crashed");
                child("build", data, series, "--clean", Boolean.toString(clean));
                System.out.printf("data directory (%s close): %s on disk (du -sk), %d MiB apparent%n",
                        clean ? "clean" : "no", du(data, "-sk"), apparentBytes(data) >> 20);
                for (int r = 0; r < runs; r++) {
                    child("open", data, series);
                }
            }
        } finally {
            run(List.of("rm", "-rf", base.toString()));
        }
    }

    private static void child(String phase, Path data, int series, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String f : MemoryProbe.launcherFlags().trim().split("\\s+")) {
            cmd.add(f);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), RestoreProbe.class.getName(),
                "--phase", phase, "--data", data == null ? "" : data.toString(), "--series", Integer.toString(series)));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(phase + " did not finish in 30 minutes");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(phase + " exited with " + p.exitValue());
        }
    }

    private static StoreConfig config(Path data, int series, AtomicLong clock) {
        return StoreConfig.builder().dataDirectory(data.toString().isEmpty() ? null : data).retentionMs(120_000).maxSeries(Math.max(series, 1))
                .time(TimeSource.wallClock(clock::get)).build();
    }

    private static void build(Path data, int series, boolean clean) {
        AtomicLong clock = new AtomicLong(T0);
        long started = System.nanoTime();
        TimeSeriesStore store = TimeSeriesStore.open(config(data, series, clock));
        SymbolTable sym = store.symbols();
        int[] names = {sym.intern("__name__"), sym.intern("k8s_namespace_name"), sym.intern("pod"), sym.intern("series")};
        int metric = sym.intern("bench_requests_total");
        int[] ns = new int[10];
        for (int i = 0; i < ns.length; i++) {
            ns[i] = sym.intern("namespace-" + i);
        }
        int[] pods = new int[1000];
        for (int i = 0; i < pods.length; i++) {
            pods[i] = sym.intern("pod-" + i);
        }
        int[] ids = new int[series];
        for (int i = 0; i < series; i++) {
            ids[i] = sym.intern("s" + i);
        }
        Appender a = store.newAppender();
        Random random = new Random(42);
        double[] value = new double[series];
        for (int k = 0; k < SAMPLES; k++) {
            long t = T0 + k * STEP_MS;
            clock.set(t + 10);
            for (int i = 0; i < series; i++) {
                LabelSetBuilder l = a.labels();
                l.clear();
                l.add(names[0], metric);
                l.add(names[1], ns[i % ns.length]);
                l.add(names[2], pods[i % pods.length]);
                l.add(names[3], ids[i]);
                value[i] += random.nextInt(51);
                a.append(t + random.nextInt(8), value[i]);
            }
            a.commit();
        }
        String status = read("/proc/self/status");
        boolean persistent = store.restoreReport().dataDirectory() != null;
        System.out.printf("built %d series x %d samples in %.1f s (%s); RSS %s = anon %s + file %s + shmem %s; %s%n",
                store.seriesCount(), SAMPLES, (System.nanoTime() - started) / 1e9,
                persistent ? "persistent" : "no data directory", field(status, "VmRSS"), field(status, "RssAnon"),
                field(status, "RssFile"), field(status, "RssShmem"),
                !persistent ? "done" : clean ? "closing cleanly" : "halting without close (as a crash)");
        if (clean) {
            store.close();
        } else {
            Runtime.getRuntime().halt(0);
        }
    }

    private static void open(Path data, int series) {
        // Opened 5 s after the last sample: the whole window is inside retention.
        AtomicLong clock = new AtomicLong(T0 + SAMPLES * STEP_MS);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        TimeSeriesStore store = TimeSeriesStore.open(config(data, series, clock));
        long wallNs = System.nanoTime() - wall0;
        long cpuNs = os.getProcessCpuTime() - cpu0;
        RestoreReport r = store.restoreReport();
        if (r.seriesRestored() != series || r.samplesRestored() != (long) series * SAMPLES) {
            throw new IllegalStateException("restored " + r);
        }
        // Spot check: a few series read back with all their samples.
        SampleBuffer b = new SampleBuffer();
        for (int ref = 0; ref < series; ref += Math.max(1, series / 100)) {
            b.clear();
            if (store.read(ref, Long.MIN_VALUE, Long.MAX_VALUE, b) != SAMPLES) {
                throw new IllegalStateException("series ref " + ref + " reads " + b.size() + " samples");
            }
        }
        String status = read("/proc/self/status");
        System.out.printf("open: %.0f ms wall, %.0f ms CPU (process, JIT and GC included), %.0f series/s; report: %s%n",
                wallNs / 1e6, cpuNs / 1e6, series / (wallNs / 1e9), r);
        System.out.printf("  RSS %s = anon %s + file %s + shmem %s; heap used %d MiB (no GC forced)%n",
                field(status, "VmRSS"), field(status, "RssAnon"), field(status, "RssFile"), field(status, "RssShmem"),
                (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
        store.close();
    }

    private static String field(String status, String name) {
        for (String line : status.split("\n")) {
            if (line.startsWith(name + ":")) {
                long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                return (kb >> 10) + " MiB";
            }
        }
        return "?";
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long apparentBytes(Path dir) throws java.io.IOException {
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static String du(Path dir, String flag) throws Exception {
        String out = run(List.of("du", flag, dir.toString()));
        return (Long.parseLong(out.split("\\s+")[0]) >> 10) + " MiB";
    }

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor(1, TimeUnit.MINUTES);
        return out;
    }
}
