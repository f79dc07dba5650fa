package dev.kedaotel.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kedaotel.model.LabelMatcher;
import dev.kedaotel.model.Labels;
import dev.kedaotel.model.ManualTimeSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code kill -9}: a child JVM appends rounds to a persistent store and reports each committed
 * round; it is killed (SIGKILL, {@link Process#destroyForcibly}) while appending, and the restored store
 * must hold every acknowledged sample exactly, with at most a contiguous run of later ones, and take
 * appends again.
 */
class KillNineTest {
    static final long T0 = 1_700_000_000_000L;
    static final int SERIES = 2000;
    static final int MAX_ROUNDS = 3000;
    static final long RETENTION_MS = 30L * 24 * 3600 * 1000;

    @TempDir
    Path dir;

    static StoreConfig config(Path dir, ManualTimeSource time) {
        return StoreConfig.builder().dataDirectory(dir).time(time).retentionMs(RETENTION_MS)
                .maxSamplesPerSeries(MAX_ROUNDS + 10).maxSeries(SERIES + MAX_ROUNDS + 10).build();
    }

    static double value(int series, int round) {
        return series * 10_000.0 + round * 1.5 + (round % 7 == 0 ? 0.123 : 0);
    }

    /** The child: appends rounds (one new series per round too), printing "acked r" after each commit. */
    public static void main(String[] args) throws Exception {
        ManualTimeSource time = new ManualTimeSource(T0);
        TimeSeriesStore store = TimeSeriesStore.open(config(Paths.get(args[0]), time));
        Appender a = store.newAppender();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            time.setWallMillis(T0 + round * 1000L);
            for (int s = 0; s < SERIES; s++) {
                StoreFixture.setLabels(store, a, "__name__", "m", "s", Integer.toString(s));
                a.append(T0 + round * 1000L, value(s, round));
            }
            StoreFixture.setLabels(store, a, "__name__", "created", "round", Integer.toString(round));
            a.append(T0 + round * 1000L, round);
            a.commit();
            System.out.println("acked " + round);
            System.out.flush();
        }
        Thread.sleep(60_000); // bounded: the parent kills it long before
    }

    @Test
    void everyAcknowledgedSampleSurvivesKillNine() throws Exception {
        String javaBin = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(javaBin, "-Xmx256m"));
        List<String> own = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (int i = 0; i < own.size(); i++) {
            if (own.get(i).startsWith("--add-")) {
                cmd.add(own.get(i)); // Agrona's access to the JDK internals, as this JVM has it
                if (!own.get(i).contains("=") && i + 1 < own.size()) {
                    cmd.add(own.get(++i));
                }
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), KillNineTest.class.getName(), dir.toString()));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        int acked = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String line;
            while ((line = out.readLine()) != null && System.nanoTime() < deadline) {
                if (line.startsWith("acked ")) {
                    acked = Integer.parseInt(line.substring(6));
                    if (acked >= 30) {
                        break;
                    }
                } else {
                    System.out.println("child: " + line);
                }
            }
            // While the child lives, its lock keeps this process out, with a message naming the directory.
            IllegalStateException locked = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> TimeSeriesStore.open(config(dir, new ManualTimeSource(T0))));
            assertTrue(locked.getMessage().contains("in use by another process") && locked.getMessage().contains(dir.toString()),
                    locked.getMessage());
            child.destroyForcibly(); // SIGKILL, in the middle of later rounds
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        assertTrue(acked >= 30, "child acknowledged " + acked + " rounds");

        ManualTimeSource time = new ManualTimeSource(T0 + MAX_ROUNDS * 1000L);
        TimeSeriesStore store = TimeSeriesStore.open(config(dir, time));
        RestoreReport r = store.restoreReport();
        assertEquals(RestoreReport.Outcome.RESTORED, r.outcome(), r.toString());
        assertEquals(0, r.seriesDroppedDamaged(), r.toString());
        int last = Integer.MAX_VALUE;
        for (int s = 0; s < SERIES; s++) {
            int ref = ref(store, "m", "s", Integer.toString(s));
            SampleBuffer b = new SampleBuffer();
            store.read(ref, Long.MIN_VALUE, Long.MAX_VALUE, b);
            assertTrue(b.size() >= acked + 1, "series " + s + " has " + b.size() + " samples, " + (acked + 1) + " acknowledged");
            for (int i = 0; i < b.size(); i++) {
                assertEquals(T0 + i * 1000L, b.timestamp(i), "series " + s + " sample " + i);
                assertEquals(value(s, i), b.value(i), "series " + s + " sample " + i);
            }
            last = Math.min(last, b.size());
        }
        for (int round = 0; round <= acked; round++) {
            assertTrue(ref(store, "created", "round", Integer.toString(round)) >= 0, "series created in round " + round);
        }
        // Appends continue on every restored chain.
        Appender a = store.newAppender();
        long t = T0 + MAX_ROUNDS * 1000L;
        for (int s = 0; s < SERIES; s++) {
            StoreFixture.setLabels(store, a, "__name__", "m", "s", Integer.toString(s));
            assertEquals(AppendResult.APPENDED, a.append(t, -1.0));
            SampleBuffer b = new SampleBuffer();
            store.read(ref(store, "m", "s", Integer.toString(s)), t - 1500, t, b);
            assertEquals(1, b.size());
            assertEquals(-1.0, b.value(0));
        }
        store.close();
    }

    private static int ref(TimeSeriesStore store, String name, String label, String value) {
        IntList refs = new IntList();
        store.select(List.of(LabelMatcher.eq(Labels.METRIC_NAME, name), LabelMatcher.eq(label, value)), refs);
        return refs.size() == 1 ? refs.get(0) : -1;
    }
}
