package dev.kedaotel.tsdb;

import dev.kedaotel.model.StaleMarker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Compressed block chains: bit-exact round trips, compression of realistic series, dropping of expired
 * and surplus blocks, the per-series bound, delta mode across blocks and block reuse after the grace period.
 */
class RingTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final String[] SERIES = {"__name__", "cpu", "pod", "p"};
    private StoreFixture f;

    @AfterEach
    void tearDown() {
        f.close();
    }

    private int blocks(int ref) {
        return f.store.rings().blocks(ref, f.store.registry().generation(ref));
    }

    /** Appends all samples (timestamps strictly increasing) and checks they read back bit for bit. */
    private void assertRoundTrip(long[] ts, double[] values) {
        for (int i = 0; i < ts.length; i++) {
            assertEquals(AppendResult.APPENDED, f.append(ts[i], values[i], SERIES), "sample " + i);
        }
        SampleBuffer s = f.readAll(f.ref(SERIES));
        assertEquals(ts.length, s.size());
        for (int i = 0; i < ts.length; i++) {
            assertEquals(ts[i], s.timestamp(i), "timestamp " + i);
            assertEquals(Double.doubleToRawLongBits(values[i]), Double.doubleToRawLongBits(s.value(i)),
                    "value " + i + ": " + values[i] + " read as " + s.value(i));
        }
    }

    @Test
    void specialValuesRoundTripBitExactly() {
        f = new StoreFixture(NOW, StoreConfig.builder().retentionMs(Long.MAX_VALUE / 4).maxFutureMs(Long.MAX_VALUE / 4));
        double[] v = {0.0, -0.0, 0.0, 1.0, -0.0, StaleMarker.VALUE, Double.NaN, Double.longBitsToDouble(0x7ff8_0000_0000_0001L),
                Double.longBitsToDouble(0xfff0_0000_0000_0003L), StaleMarker.VALUE, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, 5.0, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, 9.007199254740993E15,
                9.007199254740992E15, 9.223372036854775807E18, -9.223372036854775808E18, 1e300, 3.0, 3.0, 0.1, 0.2,
                Long.MAX_VALUE, -1.0, 42.0, 42.0, Double.MIN_NORMAL};
        long[] ts = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            ts[i] = NOW - 1_000_000 + i * 997L;
        }
        assertRoundTrip(ts, v);
    }

    @Test
    void mixedRandomSeriesRoundTripAcrossManyBlocks() {
        f = new StoreFixture(NOW, StoreConfig.builder().retentionMs(Long.MAX_VALUE / 4).maxFutureMs(Long.MAX_VALUE / 4).maxSamplesPerSeries(100_000));
        SplittableRandom r = new SplittableRandom(7);
        int n = 20_000;
        long[] ts = new long[n];
        double[] v = new double[n];
        long t = -5_000_000_000_000L; // negative and huge timestamps are plain longs too
        double counter = 0;
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(6)) {
                case 0 -> t += 5000 + r.nextInt(-5, 6);
                case 1 -> t += 1;
                case 2 -> t += r.nextInt(1, 100_000);
                case 3 -> t += r.nextLong(1, 1L << 40); // far beyond ±24.8 days
                default -> t += 5000;
            }
            ts[i] = t;
            v[i] = switch (r.nextInt(7)) {
                case 0 -> counter += r.nextInt(51);
                case 1 -> r.nextInt(21);
                case 2 -> r.nextDouble();
                case 3 -> Double.longBitsToDouble(r.nextLong());
                case 4 -> i > 0 ? v[i - 1] : 1;
                case 5 -> counter += r.nextInt(1 << 20);
                default -> -r.nextInt(1000) * 0.25;
            };
        }
        assertRoundTrip(ts, v);
        assertTrue(blocks(f.ref(SERIES)) > 100);
    }

    @Test
    void aFiveSecondCounterWindowFitsOneBlock() {
        f = new StoreFixture(NOW, StoreConfig.builder().retentionMs(120_000));
        SplittableRandom r = new SplittableRandom(1);
        double counter = 12_345;
        for (int i = 0; i < 24; i++) {
            long ts = NOW + i * 5000L + r.nextInt(8); // exporter jitter
            f.clock.set(ts + 1);
            counter += r.nextInt(51);
            assertEquals(AppendResult.APPENDED, f.append(ts, counter, SERIES));
        }
        int ref = f.ref(SERIES);
        assertEquals(24, f.readAll(ref).size());
        assertEquals(1, blocks(ref), "24 samples at ~19 bits each fit one " + SampleCodec.BLOCK_BYTES + "-byte block");
    }

    @Test
    void randomDoublesCostAtMostAboutTheUncompressedSize() {
        f = new StoreFixture(NOW, StoreConfig.builder().retentionMs(Long.MAX_VALUE / 4).maxFutureMs(Long.MAX_VALUE / 4).maxSamplesPerSeries(100_000));
        SplittableRandom r = new SplittableRandom(3);
        int n = 2000;
        for (int i = 0; i < n; i++) {
            double d;
            do {
                d = Double.longBitsToDouble(r.nextLong());
            } while (!Double.isFinite(d));
            f.append(NOW - 10_000_000 + i * 5000L, d, SERIES);
        }
        double bytesPerSample = blocks(f.ref(SERIES)) * (double) SampleCodec.BLOCK_BYTES / n;
        assertTrue(bytesPerSample < 14, bytesPerSample + " B/sample");
    }

    @Test
    void blocksLeaveTheChainOnceAllTheirSamplesExpiredAndAreReused() {
        f = new StoreFixture(NOW, StoreConfig.builder().retentionMs(120_000).reuseGraceMs(0));
        BlockPool pool = f.store.rings().pool();
        int ref = -1;
        for (int i = 0; i < 2000; i++) { // 10,000 s of 5 s samples with random values: ~8 per block
            long ts = NOW + i * 5000L;
            f.clock.set(ts);
            assertEquals(AppendResult.APPENDED, f.append(ts, Double.longBitsToDouble(0x3ff0_0000_0000_0000L | i * 0x9E37_79B9L), SERIES));
            ref = ref < 0 ? f.ref(SERIES) : ref;
            assertTrue(blocks(ref) <= 5, "blocks " + blocks(ref) + " at " + i);
        }
        // The window is all there (24 samples + the one at the cutoff), and older samples are gone.
        SampleBuffer s = new SampleBuffer();
        f.store.read(ref, f.clock.get() - 120_000, f.clock.get(), s);
        assertEquals(25, s.size());
        assertTrue(f.readAll(ref).size() < 24 + 2 * 12, "expired blocks still held: " + f.readAll(ref).size());
        assertTrue(pool.created() <= 8, "dropped blocks were reused, " + pool.created() + " created for ~250 filled");
    }

    @Test
    void theNewestMaxSamplesAreReadAndMemoryIsBoundedBlockwise() {
        f = new StoreFixture(NOW, StoreConfig.builder().retentionMs(1_000_000).maxSamplesPerSeries(20));
        for (int i = 0; i < 1000; i++) {
            f.append(NOW - 100_000 + i * 10L, i, SERIES);
        }
        int ref = f.ref(SERIES);
        SampleBuffer s = f.readAll(ref);
        assertEquals(20, s.size());
        for (int i = 0; i < s.size(); i++) {
            assertEquals(980 + i, s.value(i));
            assertEquals(NOW - 100_000 + (980 + i) * 10L, s.timestamp(i));
        }
        assertEquals(NOW - 100_000 + 999 * 10L, f.store.lastTimestamp(ref));
        assertTrue(blocks(ref) <= 2, "20 samples plus one block at most: " + blocks(ref));
        SampleBuffer window = new SampleBuffer();
        f.store.read(ref, NOW - 100_000 + 990 * 10L, NOW, window);
        assertEquals(10, window.size());
    }

    @Test
    void deltaAccumulationSurvivesBlockChangesAndDrops() {
        f = new StoreFixture(NOW, StoreConfig.builder().retentionMs(1_000_000).maxSamplesPerSeries(16));
        f.labels(SERIES);
        for (int i = 0; i < 1000; i++) {
            assertEquals(AppendResult.APPENDED, f.appender.appendDelta(NOW - 100_000 + i * 7L, 0.5));
        }
        SampleBuffer s = f.readAll(f.ref(SERIES));
        assertEquals(16, s.size());
        assertEquals(500.0, s.value(s.size() - 1));
    }

    @Test
    void droppedBlocksAreReusedOnlyAfterTheGracePeriod() {
        f = new StoreFixture(NOW, StoreConfig.builder().retentionMs(10_000).reuseGraceMs(5_000));
        BlockPool pool = f.store.rings().pool();
        long t = NOW;
        while (pool.quarantined() == 0) { // random values: a block fills in a few samples, then expires
            t += 1000;
            f.clock.set(t);
            f.append(t, Double.longBitsToDouble(0x3ff0_0000_0000_0000L | (t * 0x9E37_79B9L & 0xF_FFFF_FFFF_FFFFL)), SERIES);
        }
        int quarantined = pool.quarantined();
        f.clock.addAndGet(4_999);
        f.append(f.clock.get(), 1, "__name__", "other"); // allocates a block: the dropped ones are still quarantined
        assertEquals(quarantined, pool.quarantined());
        assertEquals(0, pool.free());
        f.clock.addAndGet(1);
        f.append(f.clock.get(), 1, "__name__", "third");
        assertEquals(0, pool.quarantined());
        assertEquals(quarantined - 1, pool.free(), "one of them was handed out again");
    }

    @Test
    void aRemovedSeriesReturnsAllItsBlocksForReuse() {
        f = new StoreFixture(NOW, StoreConfig.builder().retentionMs(60_000).reuseGraceMs(1_000));
        BlockPool pool = f.store.rings().pool();
        for (int i = 0; i < 50; i++) { // random values: several blocks
            f.append(NOW - 50_000 + i * 100L, Double.longBitsToDouble(0x3ff0_0000_0000_0000L | i * 0x9E37_79B9_7F4AL), SERIES);
        }
        int chain = blocks(f.ref(SERIES));
        assertTrue(chain >= 4, "blocks " + chain);
        int created = pool.created();
        f.clock.addAndGet(20_000);
        assertEquals(1, f.store.expire());
        assertEquals(chain, pool.quarantined());
        f.clock.addAndGet(1_000);
        for (int i = 0; i < chain; i++) {
            f.append(f.clock.get(), 1, "__name__", "next" + i);
        }
        assertEquals(created, pool.created(), "the new series' blocks are the removed series' ones");
    }

    @Test
    void timestampsAnyDistanceApartAreKept() {
        long day = 86_400_000L;
        f = new StoreFixture(NOW, StoreConfig.builder().retentionMs(100 * day));
        assertEquals(AppendResult.APPENDED, f.append(NOW - 50 * day, 1, SERIES));
        assertEquals(AppendResult.APPENDED, f.append(NOW, 2, SERIES));
        f.clock.set(NOW + 30 * day);
        assertEquals(AppendResult.APPENDED, f.append(NOW + 30 * day, 3, SERIES));
        assertEquals(AppendResult.APPENDED, f.append(NOW + 30 * day + 1, 4, SERIES));
        int ref = f.ref(SERIES);
        SampleBuffer s = f.readAll(ref);
        assertEquals(4, s.size(), "no ±24.8-day offset limit: full 64-bit timestamps");
        assertEquals(NOW - 50 * day, s.timestamp(0));
        assertEquals(NOW + 30 * day + 1, s.timestamp(3));
        assertEquals(NOW + 30 * day + 1, f.store.lastTimestamp(ref));
        f.clock.set(NOW + 60 * day);
        f.append(NOW + 60 * day, 5, SERIES);
        s = new SampleBuffer();
        f.store.read(ref, NOW - 40 * day, NOW + 60 * day, s);
        assertEquals(4, s.size());
        assertEquals(2.0, s.value(0));
    }
}
