package dev.kedaotel.tsdb;

import dev.kedaotel.model.LabelMatcher;
import dev.kedaotel.model.TimeSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Readers racing writers that mix in-order and out-of-order appends (and retention dropping buffered
 * samples): every read must be strictly sorted, hold only samples that were written (value a function of
 * the timestamp, so a torn or foreign pair is caught), and never lose a sample that was complete before the
 * read began. Bounded by append counts, not by time; nothing is timed.
 */
class OutOfOrderConcurrencyTest {
    private static final long BASE = 1_700_000_000_000L;
    private static final int WRITERS = 2;
    private static final int READERS = 2;
    /** In-order appends per writer; each is followed by out-of-order ones filling gaps behind it. */
    private static final int ROUNDS = 20_000;
    private static final int STEP = 10;

    static double valueOf(long ts) {
        return Double.longBitsToDouble(0x3ff0_0000_0000_0000L | ((ts * 0x9E37_79B9_7F4A_7C15L) >>> 12));
    }

    @Test
    void readersAlwaysSeeSortedUntornMergedSamples() throws Exception {
        AtomicLong clock = new AtomicLong(BASE);
        StoreConfig config = StoreConfig.builder()
                .retentionMs(2_000) // retention drops chain blocks and buffered samples while readers read
                .maxFutureMs(Long.MAX_VALUE / 4)
                .reuseGraceMs(0)
                .outOfOrderWindowMs(1_000)
                .outOfOrderMaxSamplesPerSeries(100_000) // a writer may run far ahead of the clock
                .time(TimeSource.wallClock(clock::get))
                .build();
        try (TimeSeriesStore store = new TimeSeriesStore(config)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong reads = new AtomicLong();
            long[] progress = new long[WRITERS]; // each writer's current timestamp, read by writer 0
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                String id = "w" + w;
                int self = w;
                threads.add(new Thread(() -> {
                    try {
                        Appender app = store.newAppender();
                        for (int i = 0; i < ROUNDS; i++) {
                            long ts = BASE + (long) i * STEP;
                            synchronized (progress) {
                                progress[self] = ts;
                            }
                            StoreFixture.setLabels(store, app, "__name__", "ooo", "writer", id);
                            assertEquals(AppendResult.APPENDED, app.append(ts, valueOf(ts)));
                            // Fill gaps 3 and 7 rounds back (at +3 and +7 ms): out of order by 27..63 ms.
                            for (int back : new int[] {3, 7}) {
                                if (i >= back) {
                                    long late = BASE + (long) (i - back) * STEP + back;
                                    StoreFixture.setLabels(store, app, "__name__", "ooo", "writer", id);
                                    int r = app.append(late, valueOf(late));
                                    assertEquals(AppendResult.APPENDED, r, "late " + late + ": " + AppendResult.describe(r));
                                }
                            }
                            if (self == 0 && (i & 63) == 0) {
                                // The store's clock follows the slowest writer, so no append is ever too old.
                                long slowest;
                                synchronized (progress) {
                                    slowest = Math.min(progress[0], progress[1]);
                                }
                                clock.set(Math.max(clock.get(), slowest));
                                store.expire();
                            }
                            if ((i & 255) == 0) {
                                app.commit();
                            }
                        }
                        app.commit();
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }, "writer-" + w));
            }
            for (int r = 0; r < READERS; r++) {
                threads.add(new Thread(() -> {
                    IntList refs = new IntList();
                    SampleBuffer buf = new SampleBuffer();
                    List<LabelMatcher> all = List.of(LabelMatcher.eq("__name__", "ooo"));
                    try {
                        while ((writing.get() || reads.get() < 100) && failure.get() == null) {
                            refs.clear();
                            store.select(all, refs);
                            for (int i = 0; i < refs.size(); i++) {
                                buf.clear();
                                store.read(refs.get(i), Long.MIN_VALUE, Long.MAX_VALUE, buf);
                                check(buf);
                                reads.incrementAndGet();
                            }
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }, "reader-" + r));
            }
            threads.forEach(Thread::start);
            for (int i = 0; i < WRITERS; i++) {
                threads.get(i).join();
            }
            writing.set(false);
            for (Thread t : threads) {
                t.join();
            }
            if (failure.get() != null) {
                throw new AssertionError("concurrent check failed", failure.get());
            }
            assertTrue(reads.get() >= 100, "readers read");
            assertEquals((long) WRITERS * (3 * ROUNDS - 10), store.appendCount(AppendResult.APPENDED));
            assertEquals((long) WRITERS * (2 * ROUNDS - 10), store.outOfOrderAppended());

            // After the race: the final state is exactly the expected merge of the retained window.
            IntList refs = new IntList();
            store.select(List.of(LabelMatcher.eq("__name__", "ooo")), refs);
            assertEquals(WRITERS, refs.size());
            long newest = BASE + (long) (ROUNDS - 1) * STEP;
            for (int i = 0; i < refs.size(); i++) {
                SampleBuffer buf = new SampleBuffer();
                store.read(refs.get(i), newest - 500, newest, buf);
                check(buf);
                int expected = 0;
                for (long t = newest - 500; t <= newest; t++) {
                    long round = (t - BASE) / STEP;
                    long off = (t - BASE) % STEP;
                    // in order; or a gap filled 3 or 7 rounds later by a round that came
                    expected += off == 0 || (off == 3 || off == 7) && round + off <= ROUNDS - 1 ? 1 : 0;
                }
                assertEquals(expected, buf.size(), "samples in the last 500 ms");
                int late = 0;
                for (int k = 0; k < buf.size(); k++) {
                    late += (buf.timestamp(k) - BASE) % STEP != 0 ? 1 : 0;
                }
                assertTrue(late > 80, "out-of-order samples merged: " + late);
            }
        }
    }

    /** Strictly increasing, every value matching its timestamp. */
    private static void check(SampleBuffer buf) {
        long prev = Long.MIN_VALUE;
        for (int k = 0; k < buf.size(); k++) {
            long ts = buf.timestamp(k);
            if (ts <= prev) {
                throw new AssertionError("unsorted at " + k + ": " + prev + " then " + ts);
            }
            if (Double.doubleToRawLongBits(buf.value(k)) != Double.doubleToRawLongBits(valueOf(ts))) {
                throw new AssertionError("torn or foreign sample at " + k + ": ts=" + ts + " value=" + buf.value(k));
            }
            prev = ts;
        }
    }
}
