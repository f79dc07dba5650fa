package dev.kedaotel.bench;

import dev.kedaotel.model.TimeSource;

import dev.kedaotel.query.EngineConfig;
import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.QueryEngine;
import dev.kedaotel.query.standing.Answer;
import dev.kedaotel.query.standing.StandingQueries;
import dev.kedaotel.query.standing.StandingQueriesConfig;
import dev.kedaotel.query.standing.StandingQueryHandle;
import dev.kedaotel.tsdb.Appender;
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
 * Standing-query re-evaluation after an ingest: append one sample to one series, commit (which marks
 * the query dirty through the store's change listener), then {@code current()} on the handle, which
 * re-evaluates synchronously, as a {@code GetMetrics} right after an Export does. Queries: kedify's
 * compiled form {@code sum(last_over_time(x[2m]))} and {@code sum(rate(x[1m]))}, over {@code series}
 * series with a full 2-minute window at 5 s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"})
public class StandingQueryBench {
    @Param({"1000", "10000"})
    public int series;

    @Param({"sum(last_over_time(bench_requests_total[2m]))", "sum(rate(bench_requests_total[1m]))"})
    public String query;

    private BenchStore bs;
    private StandingQueries standing;
    private StandingQueryHandle handle;
    private Appender appender;
    private int next;

    @Setup
    public void setup() throws PromQLException {
        bs = new BenchStore(series, 32);
        bs.fill(24, 5000);
        QueryEngine engine = new QueryEngine(bs.store, EngineConfig.defaults());
        standing = StandingQueries.start(bs.store, engine, new StandingQueriesConfig(1000, TimeSource.wallClock(() -> bs.nowMs)));
        handle = standing.acquire(query);
        appender = bs.store.newAppender();
    }

    @TearDown
    public void tearDown() {
        handle.close();
        standing.close();
        bs.close();
    }

    @Benchmark
    public double ingestThenCurrent() {
        int i = next;
        if (++next == series) {
            next = 0;
        }
        bs.labels(appender, i);
        appender.append(++bs.nowMs, i);
        appender.commit();
        Answer a = handle.current();
        return a.value();
    }
}
