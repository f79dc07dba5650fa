package dev.kedaotel.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 11's side-by-side memory instrument, one size and one run per invocation (the script
 * {@code bench/scripts/side-by-side.sh} loops over sizes and runs and makes the table). It starts
 * Prometheus 2.42, VictoriaMetrics 1.79 and keda-otel-scaler as fresh child processes (one after the
 * other, each timed from exec to ready), reads their idle VmRSS, feeds all three the same series,
 * values and timestamps every 5 s ({@link PeerWorkload}, {@link PeerFeeder}) until the 2-minute
 * window is full, reads VmRSS (median of 5 readings 1 s apart, no GC forced anywhere), proves that
 * each system holds every series and every sample of the window ({@link PeerChecks}), runs the five
 * scaling queries through each HTTP API ({@link PeerQueryWorkload}), reads VmRSS again, stops everything
 * by PID and prints a report plus {@code RESULT <system> <key> <value>} lines for the script.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.kedaotel.bench.PeerSideBySide --series 100000 [--fill 150]
 *     [--ours launcher|plain] [--systems prometheus,victoria-metrics,ours] [--query-runs 200] [--query-budget 900] [--batch 10000]
 *     [--work /tmp/dir] [--pid-file f]
 * </pre>
 * Exit status: 0 done; 2 a system was under-fed, a check failed or something broke (no figures are
 * printed as RESULT then); 3 ours disagreed with Prometheus' answers or refused a query (figures printed, run flagged).
 * Run from the repository root (it starts {@code server/target/keda-otel-scaler.jar}).
 */
public final class PeerSideBySide {
    private static final double MIB = 1024.0 * 1024.0;

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, "series", "fill", "ours", "systems", "query-runs", "query-budget", "batch", "work", "pid-file");
        int requested = a.integer("series", 10_000);
        int fill = a.integer("fill", 150);
        String oursMode = a.string("ours", "launcher");
        List<String> systems = List.of(a.string("systems", "prometheus,victoria-metrics,ours").split(","));
        if (systems.isEmpty() || !List.of("prometheus", "victoria-metrics", "ours").containsAll(systems)) {
            throw new IllegalArgumentException("--systems: a comma-separated subset of prometheus,victoria-metrics,ours");
        }
        int queryRuns = a.integer("query-runs", 200);
        long queryBudgetMs = a.integer("query-budget", 900) * 1000L;
        int batch = a.integer("batch", 10_000);
        if (fill < 125) {
            throw new IllegalArgumentException("--fill must be ≥ 125 s so that the 2-minute window is full");
        }
        Path work = a.has("work") ? Files.createDirectories(Path.of(a.string("work", ""))) : Files.createTempDirectory("peers-");
        int status;
        try {
            status = run(requested, fill, oursMode, systems, queryRuns, queryBudgetMs, batch, work, a.string("pid-file", null));
        } catch (Exception e) {
            System.out.println("FAILED: " + e);
            e.printStackTrace(System.out);
            status = 2;
        }
        System.exit(status);
    }

    private static int run(int requested, int fill, String oursMode, List<String> systems, int queryRuns, long queryBudgetMs, int batch,
                           Path work, String pidFile) throws Exception {
        PeerWorkload w = new PeerWorkload(requested);
        System.out.printf("workload: %d namespaces × %d series = %,d series (%,d counters, %,d histogram series = %,d buckets + %,d _sum"
                        + " + %,d _count, %,d gauges); one sample per series every 5 s%n", w.namespaces, PeerWorkload.PER_NAMESPACE,
                w.series, w.expectedPerName()[0], w.expectedPerName()[1] + 2 * w.expectedPerName()[2], w.expectedPerName()[1],
                w.expectedPerName()[2], w.expectedPerName()[3], w.expectedPerName()[4]);
        List<URI> writeUrls = new ArrayList<>();
        if (systems.contains("prometheus")) {
            writeUrls.add(URI.create("http://127.0.0.1:29090/api/v1/write"));
        }
        if (systems.contains("victoria-metrics")) {
            writeUrls.add(URI.create("http://127.0.0.1:28428/api/v1/write"));
        }
        // Answers are compared with Prometheus' when it runs next to another system (it is then apis[0]).
        boolean compare = systems.contains("prometheus") && systems.size() > 1;
        long encodeStart = System.nanoTime();
        List<PeerProcess> procs = new ArrayList<>();
        List<PeerApi> apis = new ArrayList<>();
        try (PeerFeeder feeder = new PeerFeeder(w, writeUrls, systems.contains("ours") ? 24317 : 0, batch)) {
            System.out.printf("encoded once in %.1f s: %d remote-write requests (%,d bytes before snappy), %d OTLP requests (%,d bytes)%n",
                    (System.nanoTime() - encodeStart) / 1e9, feeder.remoteWriteRequests(), feeder.remoteWriteBytes(),
                    feeder.otlpRequests(), feeder.otlpBytes());
            try {
                // In this order, the feeder's: the peers in writeUrls' order, then ours.
                if (systems.contains("prometheus")) {
                    procs.add(PeerProcess.prometheus(work));
                }
                if (systems.contains("victoria-metrics")) {
                    procs.add(PeerProcess.victoriaMetrics(work));
                }
                if (systems.contains("ours")) {
                    procs.add(PeerProcess.ours(work, oursMode, Path.of("")));
                }
                if (pidFile != null) {
                    StringBuilder pids = new StringBuilder();
                    procs.forEach(p -> pids.append(p.pid()).append('\n'));
                    Files.writeString(Path.of(pidFile), pids);
                }
                for (PeerProcess p : procs) {
                    apis.add(new PeerApi(p.name, p.apiPort, p.name.equals("victoria-metrics")));
                    System.out.printf("  %-18s pid %d, ready in %d ms%n", p.name, p.pid(), p.startToReadyMs);
                }
                Thread.sleep(2000);
                long[] idle = medianRss(procs);
                Report report = new Report(procs);
                report.put("start_to_ready_ms", i -> procs.get(i).startToReadyMs);
                report.put("idle_rss_mib", i -> idle[i] / MIB);

                feeder.start();
                long first = feeder.awaitRoundAfter(-1, 60_000);
                sanity(apis, first);
                System.out.printf("feeding every 5 s from %s for %d s...%n", java.time.Instant.ofEpochMilli(feeder.firstTick()), fill);
                long fullAt = feeder.firstTick() + fill * 1000L;
                long nextProgress = System.currentTimeMillis() + 30_000;
                while (System.currentTimeMillis() < fullAt) {
                    feeder.check();
                    if (System.currentTimeMillis() >= nextProgress) {
                        System.out.println("  feed: " + feeder.progress());
                        nextProgress += 30_000;
                    }
                    Thread.sleep(Math.min(1000, Math.max(1, fullAt - System.currentTimeMillis())));
                }
                // The window is full when the rounds of FILL_SECONDS have arrived, not merely when that much
                // time has passed: a feed that lags (late rounds, reported) is waited for, up to 3 × the fill.
                long rounds = fill * 1000L / PeerFeeder.INTERVAL_MS + 1;
                long giveUp = System.currentTimeMillis() + 2L * fill * 1000;
                do {
                    feeder.awaitRoundAfter(feeder.lastDeliveredTs(), Math.max(1, giveUp - System.currentTimeMillis()));
                } while (feeder.rounds() < rounds);
                System.out.println("window full: " + feeder.progress());
                long[] full = medianRss(procs);
                report.put("full_rss_mib", i -> full[i] / MIB);
                report.put("full_rss_anon_mib", i -> statusKb(procs.get(i), "RssAnon") / 1024.0);
                report.put("full_rss_file_mib", i -> statusKb(procs.get(i), "RssFile") / 1024.0);
                heap(procs, report, "full");
                report.put("series", i -> w.series);

                checkAll(apis, w, feeder);

                System.out.printf("query workload: %d rounds × 5 queries × %d systems (budget %d s)...%n", queryRuns, apis.size(),
                        queryBudgetMs / 1000);
                PeerQueryWorkload q = new PeerQueryWorkload(w, apis, feeder);
                for (PeerApi api : apis) {
                    api.reopen();
                }
                q.run(queryRuns, queryBudgetMs, compare);
                long[] after = medianRss(procs);
                report.put("after_rss_mib", i -> after[i] / MIB);
                heap(procs, report, "after");
                feeder.check();
                feeder.close();
                report.put("max_delivery_ms", feeder::maxDeliveryMs);
                report.put("query_reconnects", i -> apis.get(i).reconnects);
                for (int k = 0; k < q.queries.length; k++) {
                    int qi = k;
                    report.put("q" + (k + 1) + "_p50_ms", i -> q.latency[i][qi].quantileNanos(0.5) / 1e6);
                    report.put("q" + (k + 1) + "_p99_ms", i -> q.latency[i][qi].quantileNanos(0.99) / 1e6);
                    report.put("q" + (k + 1) + "_errors", i -> q.errors[i][qi]);
                    if (compare) {
                        report.put("q" + (k + 1) + "_disagree", i -> q.disagreements[i][qi]);
                    }
                }
                report.print();
                System.out.println("queries:");
                for (int k = 0; k < q.queries.length; k++) {
                    System.out.printf("  q%d %s%n", k + 1, q.queries[k]);
                }
                System.out.println("feed: " + feeder.progress());
                System.out.printf("RESULT run query_rounds %d%nRESULT run feed_rounds %d%nRESULT run late_rounds %d%n"
                                + "RESULT run round_p50_ms %.0f%nRESULT run round_max_ms %.0f%n", q.rounds, feeder.rounds(), feeder.lateRounds(),
                        feeder.roundTimes().quantileNanos(0.5) / 1e6, feeder.roundTimes().quantileNanos(1) / 1e6);
                if (feeder.lateRounds() > 0) {
                    System.out.printf("WARNING: %d of %d rounds were not delivered to every system within their 5 s%n",
                            feeder.lateRounds(), feeder.rounds());
                }
                int status = 0;
                for (int s = 0; s < apis.size(); s++) {
                    for (int k = 0; k < q.queries.length; k++) {
                        if (q.firstError[s][k] != null) {
                            boolean ours = apis.get(s).name.startsWith("ours");
                            System.out.printf("%s q%d: %s refused %d of %d, first: %s%n", ours ? "FAIL" : "note", k + 1,
                                    apis.get(s).name, q.errors[s][k], q.rounds, q.firstError[s][k]);
                            if (ours) {
                                status = 3;
                            }
                        }
                    }
                }
                for (int s = 1; s < apis.size(); s++) {
                    for (int k = 0; k < q.queries.length; k++) {
                        if (q.firstDisagreement[s][k] != null) {
                            boolean ours = apis.get(s).name.startsWith("ours");
                            System.out.printf("%s q%d: %d of %d answers differ from Prometheus', first %s%n",
                                    ours ? "FAIL" : "note", k + 1, q.disagreements[s][k], q.rounds, q.firstDisagreement[s][k]);
                            if (ours) {
                                status = 3;
                            }
                        }
                    }
                }
                return status;
            } finally {
                for (PeerApi api : apis) {
                    api.close();
                }
                feeder.close();
                for (PeerProcess p : procs) {
                    p.close();
                }
            }
        } finally {
            PeerProcess.deleteTree(work.resolve("prometheus"));
            PeerProcess.deleteTree(work.resolve("victoria-metrics"));
        }
    }

    /** After the first round: each system answers 50 gauges for ns-0 (VM within 20 s), or the encoders are wrong. */
    private static void sanity(List<PeerApi> apis, long ts) throws Exception {
        for (PeerApi api : apis) {
            long deadline = System.currentTimeMillis() + 20_000;
            double n;
            do {
                n = api.scalar("count(" + PeerWorkload.GAUGE + "{namespace=\"ns-0\"})", ts + 2500);
                if (n == PeerWorkload.GAUGES) {
                    break;
                }
                Thread.sleep(500);
            } while (System.currentTimeMillis() < deadline);
            if (n != PeerWorkload.GAUGES) {
                throw new IllegalStateException(api.name + " holds " + n + " ns-0 gauges after the first round, want " + PeerWorkload.GAUGES);
            }
        }
    }

    /**
     * Every system holds every series and the window's 24 samples of each; tried at up to 4 fresh rounds
     * (ours right after the round is delivered, as its 2-minute retention drops the window's oldest
     * round 5 s later; the peers 3 s after it, VictoriaMetrics making new samples searchable after ~1 s).
     * The label sets of one pod's series are identical everywhere.
     */
    private static void checkAll(List<PeerApi> apis, PeerWorkload w, PeerFeeder feeder) throws Exception {
        System.out.println("checks:");
        List<String> reference = null;
        for (PeerApi api : apis) {
            String problem = null;
            for (int attempt = 0; attempt < 4; attempt++) {
                long ts = feeder.awaitRoundAfter(feeder.lastDeliveredTs(), 120_000);
                if (!api.name.startsWith("ours")) {
                    Thread.sleep(Math.max(0, feeder.lastDeliveredAtMs() + 3000 - System.currentTimeMillis()));
                }
                problem = PeerChecks.counts(api, w, ts + 2500);
                if (problem == null) {
                    List<String> pod = PeerChecks.podSeries(api, ts + 2500);
                    if (pod.size() != 33) {
                        problem = "pod series: " + pod.size() + " instead of 33: " + pod;
                    } else if (reference != null && !reference.equals(pod)) {
                        problem = "pod label sets differ from " + apis.get(0).name + ": " + pod + " vs " + reference;
                    } else {
                        reference = pod;
                    }
                }
                if (problem == null) {
                    break;
                }
            }
            if (problem != null) {
                throw new IllegalStateException(api.name + " does not hold what it was sent:" + problem);
            }
        }
        System.out.println("  one pod's 33 label sets identical on every system, e.g. " + reference.get(0));
    }

    private static long[] medianRss(List<PeerProcess> procs) throws InterruptedException {
        long[][] r = new long[procs.size()][5];
        for (int k = 0; k < 5; k++) {
            if (k > 0) {
                Thread.sleep(1000);
            }
            for (int i = 0; i < procs.size(); i++) {
                if (!procs.get(i).alive()) {
                    throw new IllegalStateException(procs.get(i).name + " died");
                }
                r[i][k] = ProcStats.rssBytes(procs.get(i).pid());
            }
        }
        long[] m = new long[procs.size()];
        for (int i = 0; i < m.length; i++) {
            java.util.Arrays.sort(r[i]);
            m[i] = r[i][2];
        }
        return m;
    }

    /** Heap used / committed of our JVMs from jcmd GC.heap_info (no GC forced); NaN for the peers. */
    private static void heap(List<PeerProcess> procs, Report report, String when) {
        double[][] h = new double[procs.size()][];
        for (int i = 0; i < procs.size(); i++) {
            long[] info = procs.get(i).name.startsWith("ours") ? procs.get(i).heapInfo() : null;
            h[i] = info == null ? new double[] {Double.NaN, Double.NaN} : new double[] {info[0] / MIB, info[1] / MIB};
        }
        report.put("heap_used_mib_" + when, i -> h[i][0]);
        report.put("heap_committed_mib_" + when, i -> h[i][1]);
    }

    private static long statusKb(PeerProcess p, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException e) {
            // process gone: reported as -1
        }
        return -1;
    }

    /** Figures per system, printed as a table and as RESULT lines. */
    private static final class Report {
        private final List<PeerProcess> procs;
        private final List<String> keys = new ArrayList<>();
        private final List<double[]> rows = new ArrayList<>();

        Report(List<PeerProcess> procs) {
            this.procs = procs;
        }

        void put(String key, java.util.function.IntToDoubleFunction f) {
            double[] row = new double[procs.size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = f.applyAsDouble(i);
            }
            int at = keys.indexOf(key);
            if (at >= 0) {
                rows.set(at, row);
            } else {
                keys.add(key);
                rows.add(row);
            }
        }

        void print() {
            StringBuilder head = new StringBuilder(String.format("%-26s", ""));
            procs.forEach(p -> head.append(String.format("%18s", p.name)));
            System.out.println(head);
            for (int k = 0; k < keys.size(); k++) {
                StringBuilder line = new StringBuilder(String.format("%-26s", keys.get(k)));
                for (double v : rows.get(k)) {
                    line.append(String.format("%18.2f", v));
                }
                System.out.println(line);
            }
            for (int k = 0; k < keys.size(); k++) {
                for (int i = 0; i < procs.size(); i++) {
                    System.out.printf(java.util.Locale.ROOT, "RESULT %s %s %.3f%n", procs.get(i).name, keys.get(k), rows.get(k)[i]);
                }
            }
        }
    }
}
