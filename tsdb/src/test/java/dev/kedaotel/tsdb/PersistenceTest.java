package dev.kedaotel.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kedaotel.model.LabelMatcher;
import dev.kedaotel.model.Labels;
import dev.kedaotel.model.ManualTimeSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Persistence of the window on real files: restore after a crash or a clean close, damage, degraded disks. */
class PersistenceTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private final ManualTimeSource time = new ManualTimeSource(T0);

    private StoreConfig.Builder config() {
        return StoreConfig.builder().dataDirectory(dir).time(time).retentionMs(120_000);
    }

    private TimeSeriesStore open() {
        return TimeSeriesStore.open(config().build());
    }

    private static void labels(TimeSeriesStore store, Appender a, String... nameValues) {
        StoreFixture.setLabels(store, a, nameValues);
    }

    /** 50 series (counters, gauges with random doubles) with samples every 5 s for {@code seconds}. */
    private void fill(TimeSeriesStore store, long fromMs, int seconds) {
        Appender a = store.newAppender();
        java.util.Random random = new java.util.Random(7);
        for (long t = fromMs; t < fromMs + seconds * 1000L; t += 5000) {
            time.setWallMillis(t);
            for (int s = 0; s < 50; s++) {
                labels(store, a, "__name__", s % 2 == 0 ? "requests_total" : "temperature", "pod", "pod-" + s, "ns", "ns" + s % 3);
                double v = s % 2 == 0 ? (t - T0) / 1000.0 * s : random.nextGaussian() * 1e6;
                assertEquals(AppendResult.APPENDED, a.append(t + s, v));
            }
            a.commit();
        }
    }

    /** Every series' labels and samples, sorted by labels (what a restore must reproduce exactly). */
    private static List<String> dump(TimeSeriesStore store) {
        IntList refs = new IntList();
        store.select(List.of(LabelMatcher.of(LabelMatcher.Type.RE, Labels.METRIC_NAME, ".+")), refs);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            SampleBuffer b = new SampleBuffer();
            store.read(refs.get(i), Long.MIN_VALUE, Long.MAX_VALUE, b);
            StringBuilder s = new StringBuilder(store.labels(refs.get(i)).toString());
            for (int j = 0; j < b.size(); j++) {
                s.append(' ').append(b.timestamp(j)).append('=').append(Double.doubleToRawLongBits(b.value(j)));
            }
            out.add(s.toString());
        }
        out.sort(null);
        return out;
    }

    @Test
    void aCrashedStoreIsRestoredWithEverySampleAndLabel() {
        TimeSeriesStore first = open();
        assertEquals(RestoreReport.Outcome.FRESH, first.restoreReport().outcome());
        fill(first, T0, 100);
        List<String> before = dump(first);
        first.abandonAsIfKilled();

        TimeSeriesStore second = open();
        RestoreReport r = second.restoreReport();
        assertEquals(RestoreReport.Outcome.RESTORED, r.outcome(), r.toString());
        assertEquals(50, r.seriesRestored());
        assertEquals(50 * 20, r.samplesRestored());
        assertEquals(T0, r.completeSinceMs(), "the first store's start is kept");
        assertEquals(before, dump(second));
        IntList refs = new IntList();
        second.select(List.of(LabelMatcher.eq("ns", "ns1"), LabelMatcher.eq(Labels.METRIC_NAME, "temperature")), refs);
        assertEquals(9, refs.size()); // odd s with s % 3 == 1: 1, 7, 13, 19, 25, 31, 37, 43, 49
        second.close();
    }

    @Test
    void appendsContinueCorrectlyAfterRestoreAndAgainAfterACleanClose() {
        TimeSeriesStore first = open();
        fill(first, T0, 60);
        first.abandonAsIfKilled();

        TimeSeriesStore second = open();
        fill(second, T0 + 60_000, 50); // continues every series' chain: encoder state must be right
        List<String> expected = dump(second);
        assertEquals(reference(T0, 60, T0 + 60_000, 50), expected);
        assertEquals(50, second.seriesCount());
        second.close();

        TimeSeriesStore third = open();
        assertEquals(expected, dump(third));
        assertEquals(50 * 22, third.restoreReport().samplesRestored());
        third.close();
    }

    @Test
    void bitsOredBeyondThePublishedCountByAKilledAppendAreCleared() {
        TimeSeriesStore first = open();
        fill(first, T0, 30);
        // A writer killed halfway through an append: bits OR-ed into the newest block, count not published.
        for (int ref = 0; ref < 50; ref++) {
            SampleRings rings = first.rings();
            int gen = first.registry().generation(ref);
            assertTrue(gen != 0);
            garbleBeyondPublished(rings, ref);
        }
        List<String> before = dump(first);
        first.abandonAsIfKilled();

        TimeSeriesStore second = open();
        assertEquals(before, dump(second), "garbage is never published");
        fill(second, T0 + 30_000, 40);
        List<String> after = dump(second);
        assertEquals(reference(T0, 30, T0 + 30_000, 40), after, "appends after the garbage decode as written");
        second.abandonAsIfKilled();
        TimeSeriesStore third = open();
        assertEquals(after, dump(third));
        third.close();
    }

    /** 50 series × 20 s on the data directory, then a clean close or a crash. */
    private void persistTwentySeconds(boolean crash) {
        TimeSeriesStore store = open();
        fill(store, T0, 20);
        if (crash) {
            store.abandonAsIfKilled();
        } else {
            store.flush();
            store.close();
        }
    }

    /** The dump of an in-memory store given the same fills: what a persisted one must read back. */
    private List<String> reference(long from1, int seconds1, long from2, int seconds2) {
        long now = time.wallMillis();
        TimeSeriesStore memory = new TimeSeriesStore(StoreConfig.builder().time(time).retentionMs(120_000).build());
        fill(memory, from1, seconds1);
        fill(memory, from2, seconds2);
        List<String> out = dump(memory);
        memory.close();
        time.setWallMillis(now);
        return out;
    }

    private RestoreReport reopenReport() {
        TimeSeriesStore s = open();
        s.close();
        return s.restoreReport();
    }

    private static void garbleBeyondPublished(SampleRings rings, int ref) {
        UnsafeBuffer h = rings.header(ref);
        int o = SampleRings.headerOffset(ref);
        int newest = h.getInt(o + SampleRings.NEWEST_OFFSET);
        int pos = SampleCodec.position(h.getInt(o + SampleRings.CURSOR_OFFSET));
        UnsafeBuffer b = rings.pool().chunk(newest);
        int at = BlockPool.offset(newest);
        int word = pos >>> 6;
        int addr = at + SampleCodec.BITS_OFFSET + word * 8;
        int off = pos & 63;
        long garbage = off == 0 ? -1L : -1L >>> off;
        b.putLong(addr, b.getLong(addr) | garbage);
        h.putInt(o + SampleRings.LOCK_OFFSET, 1); // and the writer's lock still held
    }

    @Test
    void seriesThatAgedOutWhileDownAreDroppedAtRestore() {
        TimeSeriesStore first = open();
        fill(first, T0, 60);
        // Ten more series written later, so they survive a restart 150 s after T0.
        Appender a = first.newAppender();
        time.setWallMillis(T0 + 100_000);
        for (int s = 0; s < 10; s++) {
            labels(first, a, "__name__", "late", "pod", "p" + s);
            a.append(T0 + 100_000, s);
        }
        first.abandonAsIfKilled();

        time.setWallMillis(T0 + 150_000); // window now starts at T0 + 30 s: the first 50 series' last sample is at T0 + 55 s
        TimeSeriesStore second = open();
        RestoreReport r = second.restoreReport();
        assertEquals(60, second.seriesCount(), r.toString());
        // Their first blocks (before T0 + 30 s) may be dropped; samples inside the window stay readable.
        time.setWallMillis(T0 + 190_000); // now the 50 have aged out
        second.abandonAsIfKilled();
        TimeSeriesStore third = open();
        r = third.restoreReport();
        assertEquals(10, r.seriesRestored(), r.toString());
        assertEquals(50, r.seriesDroppedAgedOut());
        assertEquals(10, third.seriesCount());
        third.close();

        time.setWallMillis(T0 + 400_000); // everything aged out: nothing restored, window incomplete since now
        TimeSeriesStore fourth = open();
        assertEquals(0, fourth.restoreReport().seriesRestored());
        assertEquals(T0 + 400_000, fourth.restoreReport().completeSinceMs());
        fourth.close();
    }

    @Test
    void aCorruptManifestIsMovedAsideAndTheStoreStartsEmpty() throws IOException {
        persistTwentySeconds(false);
        Files.writeString(dir.resolve("MANIFEST"), Files.readString(dir.resolve("MANIFEST")).replace("version=1", "version=2"));
        time.setWallMillis(T0 + 95_000);
        TimeSeriesStore second = open();
        RestoreReport r = second.restoreReport();
        assertEquals(RestoreReport.Outcome.MOVED_ASIDE, r.outcome());
        assertTrue(r.reason().contains("CRC32C"), r.reason());
        assertEquals(0, second.seriesCount());
        assertTrue(Files.isDirectory(r.movedAsideTo()));
        assertTrue(Files.exists(r.movedAsideTo().resolve("series.journal")));
        assertEquals(T0 + 95_000, r.completeSinceMs());
        fill(second, T0 + 100_000, 10); // works on the fresh directory
        second.close();
        assertEquals(50, reopenReport().seriesRestored());
    }

    @Test
    void anIncompatibleFormatVersionIsMovedAsideNamingIt() throws IOException {
        TimeSeriesStore first = open();
        first.close();
        Path manifest = dir.resolve("MANIFEST");
        String text = Files.readString(manifest);
        String body = text.substring(0, text.indexOf("crc32c=")).replace("version=1", "version=99");
        Files.writeString(manifest, body + "crc32c=" + Long.toHexString(DataDirectory.crc(body.getBytes())) + "\n");
        TimeSeriesStore second = open();
        assertEquals(RestoreReport.Outcome.MOVED_ASIDE, second.restoreReport().outcome());
        assertTrue(second.restoreReport().reason().contains("version is 99"), second.restoreReport().reason());
        second.close();
    }

    @Test
    void aTornLastJournalRecordIsCutOffAndTheRestIsRestored() throws IOException {
        persistTwentySeconds(true);
        Path journal = dir.resolve("series.journal");
        long size = Files.size(journal);
        try (RandomAccessFile f = new RandomAccessFile(journal.toFile(), "rw")) {
            f.setLength(size - 5); // the last creation record is cut short
        }
        TimeSeriesStore second = open();
        RestoreReport r = second.restoreReport();
        assertEquals(RestoreReport.Outcome.RESTORED, r.outcome());
        assertEquals(49, r.seriesRestored());
        assertTrue(r.reason().contains("torn"), r.reason());
        fill(second, T0 + 20_000, 10); // the 50th series is created again, journaled after the cut
        second.abandonAsIfKilled();
        assertEquals(50, reopenReport().seriesRestored());
    }

    @Test
    void garbageInTheMiddleOfTheJournalIsCorruption() throws IOException {
        persistTwentySeconds(false);
        Path journal = dir.resolve("series.journal");
        byte[] bytes = Files.readAllBytes(journal);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(journal, bytes);
        TimeSeriesStore second = open();
        RestoreReport r = second.restoreReport();
        assertEquals(RestoreReport.Outcome.MOVED_ASIDE, r.outcome());
        assertTrue(r.reason().contains("damaged at byte"), r.reason());
        assertEquals(0, second.seriesCount());
        second.close();
    }

    @Test
    void seriesWhoseChainsReachAMissingChunkAreDroppedAndCounted() throws IOException {
        StoreConfig.Builder small = config();
        TimeSeriesStore first = TimeSeriesStore.open(small.build());
        // Enough blocks for two chunks: 40,000 series with one block each.
        Appender a = first.newAppender();
        for (int s = 0; s < 20_000; s++) {
            labels(first, a, "__name__", "m", "id", Integer.toString(s));
            a.append(T0, s);
        }
        assertEquals(2, Files.list(dir.resolve("chunks")).count());
        first.abandonAsIfKilled();
        Files.delete(dir.resolve("chunks").resolve("chunk-000001.dat"));
        TimeSeriesStore second = TimeSeriesStore.open(small.build());
        RestoreReport r = second.restoreReport();
        assertEquals(RestoreReport.Outcome.RESTORED, r.outcome());
        assertEquals(BlockPool.BLOCKS_PER_CHUNK, r.seriesRestored(), r.toString());
        assertEquals(20_000 - BlockPool.BLOCKS_PER_CHUNK, r.seriesDroppedDamaged());
        // Dropped series come back when their exporter pushes again; restored ones keep appending.
        a = second.newAppender();
        for (int s = 0; s < 20_000; s++) {
            labels(second, a, "__name__", "m", "id", Integer.toString(s));
            assertEquals(AppendResult.APPENDED, a.append(T0 + 1000, s + 1));
        }
        assertEquals(20_000, second.seriesCount());
        second.close();
    }

    @Test
    void randomDamageToPageFilesDropsSeriesButNeverFailsTheOpenOrLaterAppendsAndReads() throws IOException {
        java.util.Random random = new java.util.Random(20261203);
        for (int round = 0; round < 5; round++) {
            time.setWallMillis(T0);
            persistTwentySeconds(true);
            for (String sub : new String[] {"chunks", "headers"}) {
                try (Stream<Path> files = Files.list(dir.resolve(sub))) {
                    for (Path f : files.toList()) {
                        byte[] bytes = Files.readAllBytes(f);
                        for (int i = 0; i < 2000; i++) { // random bytes where the data is: the first blocks, the first headers
                            bytes[random.nextInt(Math.min(bytes.length, 50 * 96 * 3))] = (byte) random.nextInt();
                        }
                        Files.write(f, bytes);
                    }
                }
            }
            TimeSeriesStore store = open();
            RestoreReport r = store.restoreReport();
            assertEquals(RestoreReport.Outcome.RESTORED, r.outcome(), r.toString());
            assertEquals(50, r.seriesRestored() + r.seriesDroppedDamaged() + r.seriesDroppedAgedOut(), r.toString());
            // Damage inside a bit stream has no checksum to catch it: such a series may read odd values or refuse
            // samples as out of order until it ages out, but appends and reads never fail.
            Appender a = store.newAppender();
            for (long t = T0 + 20_000; t < T0 + 40_000; t += 5000) {
                time.setWallMillis(t);
                for (int s = 0; s < 50; s++) {
                    labels(store, a, "__name__", s % 2 == 0 ? "requests_total" : "temperature", "pod", "pod-" + s, "ns", "ns" + s % 3);
                    a.append(t + s, s);
                }
            }
            assertEquals(50, store.seriesCount(), "dropped series were created anew");
            assertEquals(50, dump(store).size());
            store.close();
            DataDirectory.deleteTree(dir);
        }
    }

    @Test
    void aSecondOpenOfALockedDirectoryFailsNamingIt() {
        TimeSeriesStore first = open();
        IllegalStateException e = assertThrows(IllegalStateException.class, this::open);
        assertTrue(e.getMessage().contains(dir.toAbsolutePath().toString()) && e.getMessage().contains("in use"), e.getMessage());
        first.close();
        open().close(); // released on close
    }

    @Test
    void aFullDiskDegradesPersistenceButNeverRefusesSamples() {
        int[] allowed = {2}; // the first header page and the first chunk get their files, then the disk is full
        MappedFiles.Allocator filling = (file, bytes) -> {
            if (allowed[0]-- <= 0) {
                throw new IOException("No space left on device");
            }
            MappedFiles.ZERO_FILL.allocate(file, bytes);
        };
        TimeSeriesStore first = TimeSeriesStore.open(config().fileAllocator(filling).build());
        assertFalse(first.persistenceDegraded());
        Appender a = first.newAppender();
        for (int s = 0; s < 20_000; s++) {
            labels(first, a, "__name__", "m", "id", Integer.toString(s));
            assertEquals(AppendResult.APPENDED, a.append(T0, s));
        }
        assertTrue(first.persistenceDegraded());
        assertTrue(first.persistenceDegradedReason().contains("No space left"), first.persistenceDegradedReason());
        assertEquals(20_000, first.seriesCount());
        first.abandonAsIfKilled();
        // Only the series whose header and blocks were on files come back.
        TimeSeriesStore second = open();
        RestoreReport r = second.restoreReport();
        assertEquals(SampleRings.HEADERS_PER_PAGE, r.seriesRestored(), r.toString());
        assertEquals(20_000 - SampleRings.HEADERS_PER_PAGE, r.seriesDroppedDamaged());
        assertFalse(second.persistenceDegraded());
        second.close();
    }

    @Test
    void aJournalThatCannotBeWrittenDegradesPersistenceAndKeepsAValidPrefix() {
        TimeSeriesStore first = open();
        fill(first, T0, 10);
        first.journal().abandon(); // its file descriptor closed under it: every later write fails
        Appender a = first.newAppender();
        labels(first, a, "__name__", "after_failure", "pod", "x");
        assertEquals(AppendResult.APPENDED, a.append(T0 + 5000, 1), "samples are never refused because of the disk");
        assertTrue(first.persistenceDegraded());
        assertTrue(first.persistenceDegradedReason().contains("series created from now on are not restored"),
                first.persistenceDegradedReason());
        fill(first, T0 + 10_000, 10); // existing series go on persisting: their pages are mapped
        first.abandonAsIfKilled();

        TimeSeriesStore second = open();
        RestoreReport r = second.restoreReport();
        assertEquals(RestoreReport.Outcome.RESTORED, r.outcome(), r.toString());
        assertEquals(50, r.seriesRestored(), "the series journaled before the failure");
        assertEquals(50 * 4, r.samplesRestored());
        IntList refs = new IntList();
        second.select(List.of(LabelMatcher.eq(Labels.METRIC_NAME, "after_failure")), refs);
        assertEquals(0, refs.size(), "created after the journal failed: not restored");
        second.close();
    }

    @Test
    void removalsAreJournaledAndDominatingOnesCompactTheJournal() throws IOException {
        TimeSeriesStore first = open();
        Appender a = first.newAppender();
        for (int s = 0; s < 10_000; s++) {
            labels(first, a, "__name__", "m", "id", Integer.toString(s));
            a.append(T0, s);
        }
        long full = Files.size(dir.resolve("series.journal"));
        time.setWallMillis(T0 + 60_000);
        for (int s = 0; s < 100; s++) {
            labels(first, a, "__name__", "kept", "id", Integer.toString(s));
            a.append(T0 + 60_000, s);
        }
        time.setWallMillis(T0 + 130_000);
        assertEquals(10_000, first.expire());
        assertTrue(Files.size(dir.resolve("series.journal")) < full / 50, "compacted");
        first.abandonAsIfKilled();
        TimeSeriesStore second = open();
        assertEquals(100, second.restoreReport().seriesRestored());
        assertEquals(0, second.restoreReport().seriesDroppedDamaged());
        second.close();
    }

    @Test
    void movedAsideDirectoriesAreBoundedToTheNewestTwo() throws IOException {
        for (int i = 0; i < 4; i++) {
            TimeSeriesStore s = open();
            s.close();
            Files.writeString(dir.resolve("MANIFEST"), "garbage");
            time.advanceMillis(1000);
        }
        TimeSeriesStore s = open();
        assertEquals(RestoreReport.Outcome.MOVED_ASIDE, s.restoreReport().outcome());
        s.close();
        try (Stream<Path> l = Files.list(dir)) {
            assertEquals(2, l.filter(p -> p.getFileName().toString().startsWith("moved-aside-")).count());
        }
    }

    @Test
    void withoutADataDirectoryNothingIsWrittenAndTheReportSaysDisabled() {
        TimeSeriesStore store = new TimeSeriesStore(StoreConfig.builder().time(time).build());
        assertEquals(RestoreReport.Outcome.DISABLED, store.restoreReport().outcome());
        assertFalse(store.persistenceDegraded());
        assertNotNull(store.restoreReport().toString());
        store.close();
    }
}
