package dev.kedaotel.bench;

import dev.kedaotel.query.EngineConfig;
import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.QueryEngine;
import dev.kedaotel.query.QueryResult;
import dev.kedaotel.query.parser.Parser;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * PromQL parse + evaluate of {@code sum by (pod) (rate(bench_requests_total[1m]))} (1,000 pods) at one
 * instant over 1k, 10k and 100k series holding 2 minutes of 15 s samples. {@link #parseAndEvaluate}
 * parses the text each time (no parse cache: the cost a first-seen Grafana query pays) and evaluates;
 * {@link #evaluate} reuses the parsed expression, as KEDA's repeated queries do through the cache.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"})
@State(Scope.Thread)
public class QueryBench {
    static final String QUERY = "sum by (pod) (rate(" + OtlpRequests.METRIC + "[1m]))";

    @Param({"1000", "10000", "100000"})
    public int series;

    BenchStore bs;
    QueryEngine engine;
    long evalTimeMs;
    dev.kedaotel.query.ast.Expr parsed;

    @Setup(Level.Trial)
    public void setup() throws PromQLException {
        bs = new BenchStore(series, 64);
        bs.fill(9, 15_000);
        evalTimeMs = bs.nowMs - 15_000;
        engine = new QueryEngine(bs.store, EngineConfig.defaults());
        parsed = Parser.parse(QUERY);
        QueryResult check = engine.instant(parsed, evalTimeMs);
        if (check.size() != Math.min(series, 1000)) {
            throw new IllegalStateException("expected one result per pod, got " + check.size());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        bs.close();
    }

    @Benchmark
    public QueryResult parseAndEvaluate() throws PromQLException {
        return engine.instant(Parser.parse(QUERY), evalTimeMs);
    }

    @Benchmark
    public QueryResult evaluate() throws PromQLException {
        return engine.instant(parsed, evalTimeMs);
    }
}
