package dev.kedaotel.bench;

import dev.kedaotel.tsdb.Appender;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * tsdb write path: {@link #appendExisting} = label set → registry lookup → ring append for one of
 * {@code series} existing series (target 0 B/op); {@link #createSeries} = the same for a label set
 * the store has never seen (registry insert, label index, ring allocation), 10,000 per fresh store.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"})
public class AppendBench {

    @State(Scope.Thread)
    public static class Existing {
        @Param({"100000"})
        public int series;
        BenchStore bs;
        Appender appender;
        int next;

        @Setup(Level.Trial)
        public void setup() {
            bs = new BenchStore(series, 32);
            bs.fill(1, 1);
            appender = bs.store.newAppender();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            bs.close();
        }
    }

    @Benchmark
    public int appendExisting(Existing s) {
        int i = s.next;
        if (++s.next == s.series) {
            s.next = 0;
            s.appender.commit();
        }
        s.bs.labels(s.appender, i);
        // 5 s of store time per full round, as with a 5 s export interval.
        long ts = s.bs.nowMs + (long) i * 5000 / s.series;
        if (i == 0) {
            s.bs.nowMs += 5000;
            ts = s.bs.nowMs;
        }
        return s.appender.append(ts, i);
    }

    @State(Scope.Thread)
    public static class Fresh {
        static final int N = 10_000;
        BenchStore bs;
        Appender appender;

        @Setup(Level.Invocation)
        public void setup() {
            bs = new BenchStore(N, 32);
            appender = bs.store.newAppender();
        }

        @TearDown(Level.Invocation)
        public void tearDown() {
            bs.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(Fresh.N)
    public int createSeries(Fresh s) {
        int r = 0;
        for (int i = 0; i < Fresh.N; i++) {
            s.bs.labels(s.appender, i);
            r += s.appender.append(s.bs.nowMs, i);
        }
        s.appender.commit();
        return r;
    }
}
