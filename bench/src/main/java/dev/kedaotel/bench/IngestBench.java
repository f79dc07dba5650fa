package dev.kedaotel.bench;

import dev.kedaotel.receiver.ExportResult;
import dev.kedaotel.receiver.MalformedOtlpException;
import dev.kedaotel.receiver.ReceiverConfig;
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
 * The whole ingest path without the network: decode + map + tsdb append + commit of 1,000-point
 * requests into {@code series} existing series (every series gets a sample every 5 s of store time).
 * Time per point; the inverse is points/s on one core. Includes re-stamping the request's timestamps
 * (2,000 eight-byte stores, a few ns per point) which a real server does not do.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"})
public class IngestBench {
    @Param({"100000"})
    public int series;

    private IngestWorkload workload;

    @Setup(Level.Trial)
    public void setup() throws MalformedOtlpException {
        workload = new IngestWorkload(series, ReceiverConfig.defaults());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        workload.close();
    }

    @Benchmark
    @OperationsPerInvocation(1000)
    public ExportResult export() throws MalformedOtlpException {
        return workload.exportNext();
    }
}
