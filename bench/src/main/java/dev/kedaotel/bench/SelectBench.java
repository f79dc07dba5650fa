package dev.kedaotel.bench;

import dev.kedaotel.tsdb.IntList;
import dev.kedaotel.model.LabelMatcher;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Selector matching over {@code series} series of one metric: an equality matcher hitting 0.1%
 * ({@code pod="pod-7"}), a regex over 1,000 label values hitting 11% ({@code pod=~"pod-1.*"}), and
 * the metric name alone (all series). Time per selection.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"})
public class SelectBench {
    @Param({"100000"})
    public int series;

    private BenchStore bs;
    private final IntList out = new IntList(1 << 17);
    private List<LabelMatcher> podEq;
    private List<LabelMatcher> podRegex;
    private List<LabelMatcher> nameOnly;

    @Setup
    public void setup() {
        bs = new BenchStore(series, 32);
        bs.fill(1, 1);
        LabelMatcher name = LabelMatcher.eq("__name__", OtlpRequests.METRIC);
        podEq = List.of(name, LabelMatcher.eq("pod", "pod-7"));
        podRegex = List.of(name, LabelMatcher.of(LabelMatcher.Type.RE, "pod", "pod-1.*"));
        nameOnly = List.of(name);
    }

    @TearDown
    public void tearDown() {
        bs.close();
    }

    @Benchmark
    public int equality() {
        out.clear();
        bs.store.select(podEq, out);
        return out.size();
    }

    @Benchmark
    public int regex() {
        out.clear();
        bs.store.select(podRegex, out);
        return out.size();
    }

    @Benchmark
    public int metricNameOnly() {
        out.clear();
        bs.store.select(nameOnly, out);
        return out.size();
    }
}
