package dev.kedaotel.tsdb;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The metadata registry's bounds: retention tied to being received, a cap replacing the oldest. */
class MetricMetadataRegistryTest {
    @Test
    void anEntryLivesWhileItIsReceivedAndGoesAfterTheRetention() {
        MetricMetadataRegistry r = new MetricMetadataRegistry(120_000, 100);
        MetricMetadataRegistry.Entry e = r.record("x_total", "counter", "Requests.", "", 1_000);
        assertSame(e, r.record("x_total", "counter", "Requests.", "", 2_000));
        assertTrue(e.touch(100_000));
        assertEquals(0, r.expire(219_999));
        assertEquals(1, r.expire(220_001));
        assertEquals(List.of(), r.list());
        assertFalse(e.touch(220_002), "a dropped entry tells its holder to record again");
        MetricMetadataRegistry.Entry again = r.record("x_total", "counter", "Requests.", "", 220_002);
        assertTrue(again.touch(220_003));
        assertEquals(1, r.size());
    }

    @Test
    void aChangedDescriptionIsASecondEntryOfTheFamily() {
        MetricMetadataRegistry r = new MetricMetadataRegistry(120_000, 100);
        r.record("b", "gauge", "new", "bytes", 1);
        r.record("b", "gauge", "old", "bytes", 1);
        r.record("a", "histogram", "", "seconds", 1);
        List<MetricMetadataRegistry.Entry> l = r.list();
        assertEquals(List.of("a", "b", "b"), l.stream().map(MetricMetadataRegistry.Entry::family).toList());
        assertEquals(List.of("", "new", "old"), l.stream().map(MetricMetadataRegistry.Entry::help).toList());
    }

    @Test
    void atTheCapTheEntryReceivedLongestAgoMakesRoom() {
        MetricMetadataRegistry r = new MetricMetadataRegistry(120_000, 3);
        MetricMetadataRegistry.Entry a = r.record("a", "gauge", "", "", 10);
        r.record("b", "gauge", "", "", 5);
        r.record("c", "gauge", "", "", 20);
        a.touch(30);
        r.record("d", "gauge", "", "", 40);
        assertEquals(List.of("a", "c", "d"), r.list().stream().map(MetricMetadataRegistry.Entry::family).toList());
        assertEquals(3, r.size());
    }

    @Test
    void concurrentRecordersNeverExceedTheCap() throws Exception {
        MetricMetadataRegistry r = new MetricMetadataRegistry(120_000, 50);
        AtomicBoolean failed = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < 2_000; i++) {
                        r.record("m" + id + "_" + i, "gauge", "", "", i);
                    }
                } catch (RuntimeException | InterruptedException e) {
                    failed.set(true);
                }
            });
            threads[t].start();
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertFalse(failed.get());
        assertTrue(r.size() <= 50 + threads.length, "bounded: " + r.size());
    }
}
