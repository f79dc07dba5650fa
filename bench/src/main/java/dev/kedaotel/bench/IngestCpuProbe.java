package dev.kedaotel.bench;

import dev.kedaotel.receiver.MalformedOtlpException;
import dev.kedaotel.receiver.ReceiverConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The in-process ingest path ({@code IngestBench}'s workload: decode + map + append + commit of
 * 1,000-point requests over {@code --series} existing series) measured in <em>thread CPU time</em> per
 * point instead of wall time, so the figure stays usable on a machine shared with other work, where
 * JMH's wall-clock scores swing by several times. Prints each round (3 passes over all series), then the
 * heap used after a full GC, which compared with {@code --cache-slots 0} gives the series cache's
 * memory per series.
 *
 * <pre>
 *   java -Xms1g -Xmx1g --add-exports java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED \
 *     -cp bench/target/benchmarks.jar dev.kedaotel.bench.IngestCpuProbe --series 100000 --rounds 14 [--cache-slots N]
 * </pre>
 * {@code --cache-slots}: the receiver's series cache bound (0 disables it; default: the receiver's default).
 */
public final class IngestCpuProbe {
    private IngestCpuProbe() {
    }

    public static void main(String[] argv) throws MalformedOtlpException, InterruptedException {
        Args a = new Args(argv, "series", "rounds", "cache-slots");
        int series = a.integer("series", 100_000);
        int rounds = a.integer("rounds", 14);
        ReceiverConfig.Builder config = ReceiverConfig.builder();
        if (a.has("cache-slots")) {
            config.seriesCacheSlots(a.integer("cache-slots", ReceiverConfig.DEFAULT_SERIES_CACHE_SLOTS));
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (IngestWorkload workload = new IngestWorkload(series, config.build())) {
            for (int round = 0; round < rounds; round++) {
                int n = workload.requestsPerPass() * 3;
                long cpu0 = threads.getCurrentThreadCpuTime();
                long wall0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    workload.exportNext();
                }
                double points = n * 1000.0;
                System.out.printf("round %d: cpu %.1f ns/point, wall %.1f ns/point%n", round,
                        (threads.getCurrentThreadCpuTime() - cpu0) / points, (System.nanoTime() - wall0) / points);
            }
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(200);
            }
            Runtime rt = Runtime.getRuntime();
            System.out.printf("heap used after GC: %.1f MiB, %d series (ingestor %s)%n",
                    (rt.totalMemory() - rt.freeMemory()) / 1048576.0, workload.bench.store.seriesCount(),
                    workload.ingestor.config().seriesCacheSlots());
        }
    }
}
