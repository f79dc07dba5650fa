package dev.kedaotel.bench;

import dev.kedaotel.model.TimeSource;

import dev.kedaotel.receiver.IngestSink;
import dev.kedaotel.receiver.MalformedOtlpException;
import dev.kedaotel.receiver.OtlpIngestor;
import dev.kedaotel.receiver.ReceiverConfig;
import dev.kedaotel.receiver.ReceiverStats;
import dev.kedaotel.tsdb.SymbolTable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * OTLP request decode: validation, protobuf walk, attribute interning and label mapping of a
 * pre-encoded 1,000-point request, into a sink that only counts (no store). Time and allocation are
 * per point ({@code OperationsPerInvocation = 1000}); the target is 0 B/op under {@code -prof gc}.
 * {@code handles=false}: the label path (a sink without handles, so the series cache is unused);
 * {@code handles=true}: the sink hands out handles, so after the first request every point is a
 * series-cache hit (hash, predicted entry, key compare) appended by handle.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"})
public class DecodeBench {
    @Param({"false", "true"})
    public boolean handles;

    private OtlpIngestor ingestor;
    private byte[] request;

    @Setup
    public void setup() {
        OtlpRequests r = OtlpRequests.forSeries(0, 1000);
        r.stamp(1_700_000_000_000L, 1);
        request = r.bytes();
        CountingSink sink = new CountingSink(handles);
        ingestor = new OtlpIngestor(ReceiverConfig.defaults(), new ReceiverStats(), () -> sink, TimeSource.wallClock(() -> 1_700_000_000_000L));
    }

    @Benchmark
    @OperationsPerInvocation(1000)
    public Object decode() throws MalformedOtlpException {
        return ingestor.export(request, ReceiverStats.Transport.GRPC);
    }

    /** Interns through a real symbol table (the production cost) and counts appends. */
    static final class CountingSink implements IngestSink {
        final SymbolTable symbols = new SymbolTable();
        final boolean handles;
        long appends;
        long labelHash;

        CountingSink(boolean handles) {
            this.handles = handles;
        }

        @Override
        public boolean appendsByHandle() {
            return handles;
        }

        /** A fake handle: the label hash made non-negative (never dead). */
        @Override
        public long lastHandle() {
            return handles ? labelHash & Long.MAX_VALUE : -1;
        }

        @Override
        public int appendTo(long handle, long timestampMs, double value) {
            appends += handle;
            return 0;
        }

        @Override
        public int appendDeltaTo(long handle, long timestampMs, double delta) {
            return appendTo(handle, timestampMs, delta);
        }

        @Override
        public int appendStaleTo(long handle, long timestampMs) {
            return appendTo(handle, timestampMs, 0);
        }

        @Override
        public int internUtf8(byte[] buf, int off, int len) {
            return symbols.internUtf8(buf, off, len);
        }

        @Override
        public int intern(String s) {
            return symbols.intern(s);
        }

        @Override
        public String symbol(int id) {
            return symbols.symbol(id);
        }

        @Override
        public void clearLabels() {
            labelHash = 0;
        }

        @Override
        public void addLabel(int nameSymbol, int valueSymbol) {
            labelHash = labelHash * 31 + nameSymbol * 17L + valueSymbol;
        }

        @Override
        public int append(long timestampMs, double value) {
            appends += labelHash;
            return 0;
        }

        @Override
        public int appendDelta(long timestampMs, double delta) {
            return append(timestampMs, delta);
        }

        @Override
        public int appendStale(long timestampMs) {
            return append(timestampMs, 0);
        }

        @Override
        public void commit() {
        }
    }
}
