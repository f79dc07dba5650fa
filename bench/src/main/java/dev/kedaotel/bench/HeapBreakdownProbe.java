package dev.kedaotel.bench;

import dev.kedaotel.receiver.ReceiverConfig;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Heap bytes per series of each in-memory structure of the store and the receiver, so a change to one
 * structure can be measured on its own (a class histogram only says "int[]"). Builds
 * {@link IngestWorkload}'s store (every series created, then {@code --passes} passes of appends), then
 * walks the object graph from the store and from the ingestor by reflection and attributes every
 * object to the field path by which a breadth-first walk reached it first ({@code registry.table.slots},
 * {@code seriesCache.table.entries[].key}, ...), cut at {@code --depth} fields.
 *
 * <pre>
 *   java --add-opens java.base/java.util=ALL-UNNAMED --add-opens java.base/java.util.concurrent.atomic=ALL-UNNAMED \
 *     --add-exports java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED \
 *     -cp bench/target/benchmarks.jar dev.kedaotel.bench.HeapBreakdownProbe --series 100000 [--depth 3] [--cache-slots N]
 * </pre>
 * Sizes are estimates for a 64-bit HotSpot with compressed references and class pointers (the launcher's
 * heap is far below 32 GiB): object header 12 bytes, array header 16, fields at their size, every
 * object rounded up to 8 bytes. Objects of JDK classes whose fields cannot be read (a module not opened)
 * count their own size only. The store's clock is not walked (the benchmark's clock lambda holds the
 * benchmark's own arrays). Off-heap memory is not counted; the store's thread-local appenders and the
 * workers' per-thread caches are not reachable from the roots and are not counted either (they do not
 * grow with the series).
 */
public final class HeapBreakdownProbe {
    private final int depth;
    private final IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
    private final Map<String, long[]> byPath = new TreeMap<>();

    private HeapBreakdownProbe(int depth) {
        this.depth = depth;
    }

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, "series", "depth", "cache-slots", "passes");
        int series = a.integer("series", 100_000);
        ReceiverConfig.Builder config = ReceiverConfig.builder();
        if (a.has("cache-slots")) {
            config.seriesCacheSlots(a.integer("cache-slots", ReceiverConfig.DEFAULT_SERIES_CACHE_SLOTS));
        }
        try (IngestWorkload workload = new IngestWorkload(series, config.build())) {
            int passes = a.integer("passes", 2);
            for (int i = 0; i < passes * workload.requestsPerPass(); i++) {
                workload.exportNext();
            }
            HeapBreakdownProbe probe = new HeapBreakdownProbe(a.integer("depth", 3));
            probe.walk("store", workload.bench.store);
            probe.walk("ingestor", workload.ingestor);
            probe.print(series);
        }
    }

    private void walk(String rootName, Object root) throws IllegalAccessException {
        ArrayDeque<Object> objects = new ArrayDeque<>();
        ArrayDeque<String> paths = new ArrayDeque<>();
        ArrayDeque<Integer> depths = new ArrayDeque<>();
        objects.add(root);
        paths.add(rootName);
        depths.add(0);
        seen.put(root, Boolean.TRUE);
        while (!objects.isEmpty()) {
            Object o = objects.poll();
            String path = paths.poll();
            int d = depths.poll();
            long[] acc = byPath.computeIfAbsent(path, k -> new long[2]);
            acc[0] += sizeOf(o);
            acc[1]++;
            Class<?> c = o.getClass();
            if (c.isArray()) {
                if (!c.getComponentType().isPrimitive()) {
                    String child = d < depth ? path + "[]" : path;
                    int n = Array.getLength(o);
                    for (int i = 0; i < n; i++) {
                        enqueue(Array.get(o, i), child, d < depth ? d + 1 : d, objects, paths, depths);
                    }
                }
                continue;
            }
            for (Field f : instanceFields(c)) {
                if (f.getType().isPrimitive()) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                } catch (RuntimeException notOpen) {
                    continue; // a JDK class in a module not opened to us: its own size only
                }
                String child = d < depth ? path + "." + f.getName() : path;
                if (f.getType() == dev.kedaotel.model.TimeSource.class) {
                    continue; // the benchmark's clock, which holds the benchmark's own arrays
                }
                enqueue(f.get(o), child, d < depth ? d + 1 : d, objects, paths, depths);
            }
        }
    }

    private void enqueue(Object v, String path, int d, ArrayDeque<Object> objects, ArrayDeque<String> paths,
                         ArrayDeque<Integer> depths) {
        if (v == null || v instanceof Class || v instanceof Thread || v instanceof ClassLoader
                || seen.put(v, Boolean.TRUE) != null) {
            return;
        }
        objects.add(v);
        paths.add(path);
        depths.add(d);
    }

    private static List<Field> instanceFields(Class<?> c) {
        List<Field> fields = new ArrayList<>();
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    fields.add(f);
                }
            }
        }
        return fields;
    }

    static long sizeOf(Object o) {
        Class<?> c = o.getClass();
        long bytes;
        if (c.isArray()) {
            Class<?> t = c.getComponentType();
            bytes = 16 + (long) Array.getLength(o) * elementSize(t);
        } else {
            bytes = 12;
            for (Field f : instanceFields(c)) {
                bytes += elementSize(f.getType());
            }
        }
        return (bytes + 7) & ~7L;
    }

    private static int elementSize(Class<?> t) {
        if (t == long.class || t == double.class) {
            return 8;
        }
        if (t == int.class || t == float.class) {
            return 4;
        }
        if (t == short.class || t == char.class) {
            return 2;
        }
        if (t == byte.class || t == boolean.class) {
            return 1;
        }
        return 4; // compressed reference
    }

    private void print(int series) {
        long total = 0;
        System.out.printf("%-70s %12s %10s %10s%n", "path", "bytes", "objects", "B/series");
        for (Map.Entry<String, long[]> e : byPath.entrySet()) {
            long bytes = e.getValue()[0];
            total += bytes;
            if (bytes * 1000 >= series) { // hide what is below 0.001 B/series
                System.out.printf("%-70s %12d %10d %10.2f%n", e.getKey(), bytes, e.getValue()[1], bytes / (double) series);
            }
        }
        for (String root : new String[] {"store", "ingestor"}) {
            long sum = 0;
            for (Map.Entry<String, long[]> e : byPath.entrySet()) {
                if (e.getKey().equals(root) || e.getKey().startsWith(root + ".")) {
                    sum += e.getValue()[0];
                }
            }
            System.out.printf("total %-64s %12d %10s %10.2f%n", root, sum, "", sum / (double) series);
        }
        System.out.printf("total %-64s %12d %10s %10.2f%n", "", total, "", total / (double) series);
    }
}
