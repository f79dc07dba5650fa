package dev.kedaotel.tsdb;

import dev.kedaotel.model.TimeSource;

import dev.kedaotel.model.LabelMatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Torn-read check: writers append to shared and private series (small rings, so they grow, move and
 * wrap constantly) and create new series, while readers keep reading. Every sample a reader sees must
 * be one that was written (value == f(timestamp)) and timestamps must strictly increase.
 */
class ConcurrencyTest {
    private static final long BASE = 1_000_000L;
    private static final int WRITERS = 3;
    private static final int READERS = 2;
    private static final int APPENDS_PER_WRITER = 300_000;

    static double valueOf(long ts) {
        return ts * 0.5 + 1;
    }

    @Test
    void readersNeverSeeTornOrUnorderedSamples() throws Exception {
        StoreConfig config = StoreConfig.builder()
                .retentionMs(Long.MAX_VALUE / 4).maxFutureMs(Long.MAX_VALUE / 4)
                .maxSamplesPerSeries(64)
                .reuseGraceMs(0)
                .time(TimeSource.wallClock(() -> BASE))
                .build();
        try (TimeSeriesStore store = new TimeSeriesStore(config)) {
            AtomicLong sharedClock = new AtomicLong(BASE);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong samplesSeen = new AtomicLong();
            CountDownLatch writersDone = new CountDownLatch(WRITERS);
            List<Thread> threads = new ArrayList<>();

            for (int w = 0; w < WRITERS; w++) {
                String id = "w" + w;
                threads.add(new Thread(() -> {
                    try {
                        Appender app = store.newAppender();
                        long ownTs = BASE;
                        for (int i = 0; i < APPENDS_PER_WRITER; i++) {
                            if ((i & 1) == 0) {
                                long ts = sharedClock.incrementAndGet();
                                StoreFixture.setLabels(store, app, "__name__", "shared");
                                int r = app.append(ts, valueOf(ts));
                                assertTrue(r == AppendResult.APPENDED || r == AppendResult.OUT_OF_ORDER, "shared: " + r);
                            } else {
                                ownTs++;
                                if (i % 3001 == 1) {
                                    // Too far from the slot's base timestamp: the ring moves to a rebased slot.
                                    ownTs += 30L * 86_400_000L;
                                }
                                // A new private series every 10k samples exercises registry growth and index writes.
                                StoreFixture.setLabels(store, app, "__name__", "private", "writer", id,
                                        "gen", Integer.toString(i / 10_000));
                                assertEquals(AppendResult.APPENDED, app.append(ownTs, valueOf(ownTs)));
                            }
                            if ((i & 1023) == 0) {
                                app.commit();
                            }
                        }
                        app.commit();
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    } finally {
                        writersDone.countDown();
                    }
                }, "writer-" + w));
            }
            for (int r = 0; r < READERS; r++) {
                threads.add(reader(store, ".+", writing, failure, samplesSeen, ConcurrencyTest::check));
            }
            threads.forEach(Thread::start);
            assertTrue(writersDone.await(120, TimeUnit.SECONDS), "writers did not finish in time");
            writing.set(false);
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
            if (failure.get() != null) {
                throw new AssertionError("concurrent check failed", failure.get());
            }
            assertTrue(samplesSeen.get() > 0, "readers saw no samples");
            assertEquals(1 + WRITERS * (APPENDS_PER_WRITER / 10_000), store.seriesCount());
            long accepted = store.appendCount(AppendResult.APPENDED) + store.appendCount(AppendResult.OUT_OF_ORDER);
            assertEquals((long) WRITERS * APPENDS_PER_WRITER, accepted);
        }
    }

    /**
     * A thread that, while {@code writing}, selects every series whose name matches {@code nameRegex}, reads
     * each whole and hands the samples to {@code check}; the first failure ends every thread's loop.
     */
    private static Thread reader(TimeSeriesStore store, String nameRegex, AtomicBoolean writing,
                                 AtomicReference<Throwable> failure, AtomicLong samplesSeen, SampleCheck check) {
        return new Thread(() -> {
            IntList refs = new IntList();
            SampleBuffer buf = new SampleBuffer();
            List<LabelMatcher> all = List.of(LabelMatcher.of(LabelMatcher.Type.RE, "__name__", nameRegex));
            try {
                while (writing.get() && failure.get() == null) {
                    refs.clear();
                    store.select(all, refs);
                    for (int i = 0; i < refs.size(); i++) {
                        buf.clear();
                        store.read(refs.get(i), Long.MIN_VALUE, Long.MAX_VALUE, buf);
                        check.accept(buf, refs.get(i));
                        samplesSeen.addAndGet(buf.size());
                    }
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }, "reader-" + nameRegex);
    }

    @FunctionalInterface
    private interface SampleCheck {
        void accept(SampleBuffer samples, int ref);
    }

    /** At most 8 samples (the store's bound), strictly increasing timestamps, each value {@link #noisyValueOf} its timestamp. */
    private static void checkBoundedNoisy(SampleBuffer buf, int ref) {
        if (buf.size() > 8) {
            throw new AssertionError("read " + buf.size() + " samples, bound is 8");
        }
        long prev = Long.MIN_VALUE;
        for (int k = 0; k < buf.size(); k++) {
            long ts = buf.timestamp(k);
            if (ts <= prev || Double.doubleToRawLongBits(buf.value(k)) != Double.doubleToRawLongBits(noisyValueOf(ts))) {
                throw new AssertionError("torn or foreign sample at " + k + ": ts=" + ts + " value=" + buf.value(k));
            }
            prev = ts;
        }
    }

    /** A value with random-looking mantissa bits (XOR-coded, ~7 samples per block), a function of ts. */
    static double noisyValueOf(long ts) {
        return Double.longBitsToDouble(0x3ff0_0000_0000_0000L | ((ts * 0x9E37_79B9_7F4A_7C15L) >>> 12));
    }

    @Test
    void readersRacingBlockTurnoverAndImmediateReuseNeverSeeForeignSamples() throws Exception {
        // Tiny per-series bound and no reuse grace: every few appends a block leaves a chain and is handed
        // straight to the other series (or back to the same one), while readers decode.
        StoreConfig config = StoreConfig.builder().retentionMs(Long.MAX_VALUE / 4).maxFutureMs(Long.MAX_VALUE / 4).maxSamplesPerSeries(8)
                .reuseGraceMs(0).time(TimeSource.wallClock(() -> BASE)).build();
        try (TimeSeriesStore store = new TimeSeriesStore(config)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong samplesSeen = new AtomicLong();
            CountDownLatch writersDone = new CountDownLatch(2);
            List<Thread> threads = new ArrayList<>();
            for (String name : new String[] {"hot_a", "hot_b"}) {
                threads.add(new Thread(() -> {
                    try {
                        Appender app = store.newAppender();
                        for (long ts = BASE + 1; ts < BASE + 400_000 && failure.get() == null; ts++) {
                            StoreFixture.setLabels(store, app, "__name__", name);
                            assertEquals(AppendResult.APPENDED, app.append(ts, noisyValueOf(ts)));
                        }
                        app.commit();
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    } finally {
                        writersDone.countDown();
                    }
                }));
            }
            for (int r = 0; r < READERS; r++) {
                threads.add(reader(store, "hot_.*", writing, failure, samplesSeen, ConcurrencyTest::checkBoundedNoisy));
            }
            threads.forEach(Thread::start);
            assertTrue(writersDone.await(120, TimeUnit.SECONDS), "writers did not finish in time");
            writing.set(false);
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
            if (failure.get() != null) {
                throw new AssertionError("block turnover check failed", failure.get());
            }
            assertTrue(samplesSeen.get() > 0, "readers saw no samples");
        }
    }

    @Test
    void concurrentDeltaAppendsLoseNoUpdates() throws Exception {
        StoreConfig config = StoreConfig.builder().retentionMs(Long.MAX_VALUE / 4).maxFutureMs(Long.MAX_VALUE / 4).maxSamplesPerSeries(32)
                .time(TimeSource.wallClock(() -> BASE)).build();
        try (TimeSeriesStore store = new TimeSeriesStore(config)) {
            AtomicLong clock = new AtomicLong(BASE);
            AtomicLong appended = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                threads.add(new Thread(() -> {
                    try {
                        Appender app = store.newAppender();
                        for (int i = 0; i < 100_000; i++) {
                            StoreFixture.setLabels(store, app, "__name__", "delta_total");
                            if (app.appendDelta(clock.incrementAndGet(), 1) == AppendResult.APPENDED) {
                                appended.incrementAndGet();
                            }
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(60));
            }
            if (failure.get() != null) {
                throw new AssertionError("delta writer failed", failure.get());
            }
            IntList refs = new IntList();
            store.select(List.of(LabelMatcher.eq("__name__", "delta_total")), refs);
            SampleBuffer buf = new SampleBuffer();
            store.read(refs.get(0), Long.MIN_VALUE, Long.MAX_VALUE, buf);
            // Every accepted delta of 1 is reflected exactly once in the cumulative value.
            assertEquals((double) appended.get(), buf.value(buf.size() - 1));
        }
    }

    @Test
    void expiryRacingWithAppendsKeepsRegistryAndIndexConsistent() throws Exception {
        AtomicLong clock = new AtomicLong(BASE);
        // Refs are reused at once (grace 0) to race the registry hard; symbols keep a long grace because
        // this appender holds metric-name ids from its first append to its one commit, far longer than
        // any grace a symbol could have here (SymbolReclamationTest races symbol reuse on its own).
        StoreConfig config = StoreConfig.builder().retentionMs(50).reuseGraceMs(0).symbolGraceMs(3_600_000)
                .time(TimeSource.wallClock(clock::get)).build();
        try (TimeSeriesStore store = new TimeSeriesStore(config)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong expired = new AtomicLong();
            store.addListener((syms, n) -> {
                for (int i = 0; i < n; i++) {
                    if (!store.symbols().symbol(syms[i]).startsWith("churn")) {
                        failure.compareAndSet(null, new AssertionError("unexpected metric " + syms[i]));
                    }
                }
            });
            Thread expirer = new Thread(() -> {
                try {
                    while (writing.get()) {
                        clock.addAndGet(1);
                        expired.addAndGet(store.expire());
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            });
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                writers.add(new Thread(() -> {
                    try {
                        Appender app = store.newAppender();
                        // Keep racing until expiry has really removed series (bounded, so a starved
                        // expirer fails the assertion below instead of hanging the test).
                        for (int i = 0; i < 200_000 || (expired.get() < 100 && i < 5_000_000); i++) {
                            StoreFixture.setLabels(store, app, "__name__", "churn", "k", Integer.toString(i % 50));
                            int r = app.append(clock.get(), i);
                            // TOO_OLD is legitimate: the clock may pass ts + retention before the store reads it.
                            assertTrue(r != AppendResult.SERIES_LIMIT && r >= 0, "unexpected outcome " + r);
                        }
                        app.commit();
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }));
            }
            expirer.start();
            writers.forEach(Thread::start);
            for (Thread t : writers) {
                t.join(TimeUnit.SECONDS.toMillis(60));
            }
            writing.set(false);
            expirer.join(TimeUnit.SECONDS.toMillis(30));
            if (failure.get() != null) {
                throw new AssertionError("race check failed", failure.get());
            }
            assertTrue(expired.get() >= 100, "expiry never raced with the writers: " + expired.get() + " removals");

            IntList refs = new IntList();
            store.select(List.of(LabelMatcher.eq("__name__", "churn")), refs);
            assertEquals(store.seriesCount(), refs.size());
            assertTrue(refs.size() <= 50);
            for (int i = 0; i < refs.size(); i++) {
                assertEquals("churn", store.labels(refs.get(i)).metricName());
            }
            clock.addAndGet(1000);
            assertEquals(refs.size(), store.expire());
            assertEquals(0, store.seriesCount());
            assertEquals(List.of(), store.labelNames());
        }
    }

    private static void check(SampleBuffer buf, int ref) {
        long prev = Long.MIN_VALUE;
        for (int i = 0; i < buf.size(); i++) {
            long ts = buf.timestamp(i);
            double v = buf.value(i);
            if (ts <= prev) {
                throw new AssertionError("series " + ref + ": timestamps not increasing at " + i + ": " + prev + " then " + ts);
            }
            if (v != valueOf(ts)) {
                throw new AssertionError("series " + ref + ": torn sample at " + i + ": ts=" + ts + " value=" + v);
            }
            prev = ts;
        }
    }
}
