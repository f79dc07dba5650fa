package dev.kedaotel.bench;

import dev.kedaotel.model.TimeSource;
import dev.kedaotel.tsdb.Appender;
import dev.kedaotel.tsdb.LabelSetBuilder;
import dev.kedaotel.tsdb.StoreConfig;
import dev.kedaotel.tsdb.SymbolTable;
import dev.kedaotel.tsdb.TimeSeriesStore;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pod-name churn: each round creates {@code --series} series whose pod label is new (as after a
 * Kubernetes rollout), lets retention remove all of them (the clock is advanced past retention and the
 * reuse grace, no real waiting), forces a full GC and prints the heap in use, the live series and the
 * symbol table's size. With memory bounded by live series the heap stays flat over the rounds; while
 * label values are never freed it grows by the round's new symbols.
 *
 * <pre>
 * java -Xms1g -Xmx1g -cp bench/target/benchmarks.jar dev.kedaotel.bench.ChurnProbe --series 100000 --rounds 12
 * </pre>
 * In process, through the store's {@code Appender} only (the API it uses is unchanged since the baseline,
 * so the same class runs against an older jar).
 */
public final class ChurnProbe {
    private ChurnProbe() {
    }

    public static void main(String[] args) throws Exception {
        int series = 100_000;
        int rounds = 12;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--series" -> series = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        AtomicLong clock = new AtomicLong(1_700_000_000_000L);
        StoreConfig config = StoreConfig.builder().retentionMs(120_000).reuseGraceMs(10_000)
                .maxSeries(Math.max(series, 1)).time(TimeSource.wallClock(clock::get)).build();
        try (TimeSeriesStore store = new TimeSeriesStore(config)) {
            SymbolTable symbols = store.symbols();
            Appender appender = store.newAppender();
            int name = symbols.intern("__name__");
            int pod = symbols.intern("k8s_pod_name");
            int ns = symbols.intern("k8s_namespace_name");
            System.out.printf("round  heap after full GC (MiB)  series created  live after retention  symbols%n");
            for (int r = 0; r < rounds; r++) {
                // Interned per round, as a receiver does per request: a reclaiming store frees values no
                // series held through the grace period (label names stay once used).
                int metric = symbols.intern("http_requests_total");
                int nsValue = symbols.intern("shop");
                for (int s = 0; s < series; s++) {
                    LabelSetBuilder b = appender.labels();
                    b.clear();
                    b.add(name, metric);
                    b.add(ns, nsValue);
                    b.add(pod, symbols.intern(String.format("checkout-%08x-r%d-%d", r * 0x9E3779B1, r, s)));
                    appender.append(clock.get(), s);
                }
                appender.commit();
                int live = store.seriesCount();
                clock.addAndGet(config.retentionMs() + config.reuseGraceMs() + 1);
                store.expire();
                clock.addAndGet(config.reuseGraceMs() + 1);
                store.expire(); // a pass after the grace, where a reclaiming store frees what retention released
                System.gc();
                System.gc();
                long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                System.out.printf("%5d  %24.1f  %14d  %20d  %7d%n", r, used / 1048576.0, live, store.seriesCount(),
                        symbols.size());
            }
        }
    }
}
