package dev.kedaotel.server;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns "out of memory" into a clean exit, so that Kubernetes restarts the pod instead of routing
 * traffic to a half-alive process (an OutOfMemoryError in one request's thread leaves the others, and
 * {@code /healthz}, answering). The container launcher adds {@code -XX:+ExitOnOutOfMemoryError}; this
 * does the same for a plain {@code java -jar}, where no JVM flag can be assumed:
 * <ul>
 *   <li>every old-generation heap pool that reports usage after a collection gets a threshold at
 *       {@value #THRESHOLD_PERCENT} % of its maximum; the JVM notifies when a collection leaves more than
 *       that in use — the heap is full of live data, the state in which OutOfMemoryErrors follow;</li>
 *   <li>threads that die of an OutOfMemoryError reach the default uncaught-exception handler.</li>
 * </ul>
 * Either way the service marks itself not ready, says why on stderr, and halts with exit code
 * {@value #EXIT_CODE} (halt, not exit: shutdown hooks would need memory the process does not have).
 */
final class MemoryGuard {
    static final int EXIT_CODE = 3;
    static final int THRESHOLD_PERCENT = 95;
    private static final System.Logger LOG = System.getLogger(MemoryGuard.class.getName());

    private MemoryGuard() {
    }

    /**
     * Arms the guard. {@code notReady} runs first when memory runs out (it must not allocate much).
     *
     * @return the pools watched, for the startup log
     */
    static List<String> install(Runnable notReady) {
        List<String> watched = new ArrayList<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            long max = pool.getUsage().getMax();
            // The old generation (or a single-generation heap): young pools are nearly full after every
            // collection by design, which says nothing about running out of memory.
            String name = pool.getName();
            boolean young = name.contains("Eden") || name.contains("Survivor") || name.contains("Young");
            if (pool.getType() == MemoryType.HEAP && !young && pool.isCollectionUsageThresholdSupported() && max > 0) {
                pool.setCollectionUsageThreshold(max / 100 * THRESHOLD_PERCENT);
                watched.add(pool.getName());
            }
        }
        NotificationListener listener = (notification, handback) -> {
            if (MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(notification.getType())) {
                die(notReady, "the Java heap is over " + THRESHOLD_PERCENT + " % full after garbage collection");
            }
        };
        ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).addNotificationListener(listener, null, null);
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            if (error instanceof OutOfMemoryError) {
                die(notReady, "thread " + thread.getName() + " ran out of memory: " + error.getMessage());
            } else if (previous != null) {
                previous.uncaughtException(thread, error);
            } else {
                LOG.log(Level.ERROR, "thread " + thread.getName() + " died", error);
            }
        });
        return watched;
    }

    private static void die(Runnable notReady, String why) {
        try {
            notReady.run();
            System.err.println("keda-otel-scaler: out of memory (" + why + "); exiting with code " + EXIT_CODE
                    + " so that the orchestrator restarts the service. Raise the memory limit or lower"
                    + " METRIC_STORE_MAX_SERIES / OTLP_MAX_BYTES_IN_FLIGHT.");
        } finally {
            Runtime.getRuntime().halt(EXIT_CODE);
        }
    }
}
