package dev.kedaotel.tsdb;

import dev.kedaotel.model.TimeSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The append path for existing series and the read path into a grown buffer must not allocate per
 * sample. Measured with the thread's allocated-bytes counter; the bound (64 KiB over a million samples)
 * tolerates JIT/runtime noise but not a single 16-byte object per sample. The clock stands still here, so
 * the reuse grace period is 0: otherwise every dropped block would wait in quarantine forever and the
 * pool would keep growing its chunks and quarantine (per block, not per sample, and only while time
 * stands still).
 */
class AllocationTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final int SERIES = 64;
    private static final long BUDGET_BYTES = 64 * 1024;

    @Test
    void appendingToExistingSeriesAndReadingDoNotAllocatePerSample() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs com.sun.management.ThreadMXBean");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported());

        try (TimeSeriesStore store = new TimeSeriesStore(StoreConfig.builder()
                .retentionMs(3_600_000).maxSamplesPerSeries(256).reuseGraceMs(0).time(TimeSource.wallClock(() -> NOW)).build())) {
            Appender app = store.newAppender();
            SymbolTable sym = store.symbols();
            int name = sym.intern("__name__");
            int metric = sym.intern("requests_total");
            int pod = sym.intern("pod");
            int[] pods = new int[SERIES];
            for (int i = 0; i < SERIES; i++) {
                pods[i] = sym.intern("pod-" + i);
            }
            byte[] podBytes = "pod-7".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            SampleBuffer buf = new SampleBuffer(1024);
            long[] ts = {NOW - 3_000_000};

            Runnable round = () -> {
                for (int i = 0; i < 100_000; i++) {
                    LabelSetBuilder b = app.labels();
                    b.clear();
                    b.add(name, metric);
                    b.add(pod, pods[i % SERIES]);
                    if (i % SERIES == 0) {
                        ts[0]++;
                    }
                    app.append(ts[0], i);
                    if ((i & 1023) == 0) {
                        app.commit();
                        buf.clear();
                        store.read(3, Long.MIN_VALUE, Long.MAX_VALUE, buf);
                        sym.internUtf8(podBytes, 0, podBytes.length);
                    }
                }
            };
            for (int i = 0; i < 5; i++) {
                round.run(); // warm-up: series exist, rings at their largest class, JIT done
            }
            long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = 0; i < 10; i++) {
                round.run();
            }
            long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            assertEquals(SERIES, store.seriesCount());
            assertTrue(allocated < BUDGET_BYTES, "1M appends allocated " + allocated + " bytes");
            assertTrue(store.appendCount(AppendResult.APPENDED) >= 1_000_000);
        }
    }
}
