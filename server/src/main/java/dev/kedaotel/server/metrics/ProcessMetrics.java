package dev.kedaotel.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The process metrics every Prometheus client exports, under their standard names, read from
 * {@code /proc/self} as client_golang's process collector reads them: {@code process_cpu_seconds_total}
 * (user + system time), {@code process_resident_memory_bytes}, {@code process_virtual_memory_bytes},
 * {@code process_open_fds}, {@code process_max_fds} (the soft limit) and {@code process_start_time_seconds}.
 * Dashboards and alerts written for any Prometheus-instrumented process work unchanged.
 *
 * <p>Why our own binder: Micrometer's equivalents have other names ({@code process_cpu_time_ns_total},
 * {@code process_files_open_files}) and read the JVM's MXBeans, which report no resident memory; client_java's
 * {@code ProcessMetrics} has the names but is a further dependency for six gauges. Linux only: where
 * {@code /proc/self/stat} does not exist (macOS, Windows) nothing is registered, rather than zeros that look like
 * measurements.
 *
 * <p>Threads: the gauges read the files at scrape time, on the scraping thread; nothing is cached or shared.
 * A read that fails (the file vanished) reports NaN, which Prometheus treats as a gap.
 */
public final class ProcessMetrics {
    /** Clock ticks per second of {@code /proc/<pid>/stat}: USER_HZ, 100 on every Linux architecture (procfs assumes it too). */
    static final double USER_HZ = 100;
    /** Fields of {@code /proc/self/stat} counted after the {@code (comm)} field: state is 0. */
    private static final int UTIME = 11;
    private static final int STIME = 12;
    private static final int STARTTIME = 19;
    private static final int VSIZE = 20;

    private final Path proc;

    /** @param proc the proc file system's root ({@code /proc}; tests give a directory of their own) */
    public ProcessMetrics(Path proc) {
        this.proc = proc;
    }

    /** Registers the six meters when {@code <proc>/self/stat} is readable; returns whether it did. */
    public boolean bindTo(MeterRegistry registry) {
        if (!Files.isReadable(proc.resolve("self/stat"))) {
            return false;
        }
        FunctionCounter.builder("process.cpu", this, ProcessMetrics::cpuSeconds).baseUnit("seconds")
                .description("Total user and system CPU time spent in seconds.").register(registry);
        Gauge.builder("process.resident.memory", this, ProcessMetrics::residentBytes).baseUnit("bytes")
                .description("Resident memory size in bytes.").register(registry);
        Gauge.builder("process.virtual.memory", this, m -> m.statField(VSIZE)).baseUnit("bytes")
                .description("Virtual memory size in bytes.").register(registry);
        Gauge.builder("process.open.fds", this, ProcessMetrics::openFds)
                .description("Number of open file descriptors.").register(registry);
        Gauge.builder("process.max.fds", this, ProcessMetrics::maxFds)
                .description("Maximum number of open file descriptors.").register(registry);
        // Constant for the life of the process: read once.
        double start = startTimeSeconds();
        Gauge.builder("process.start.time", () -> start).baseUnit("seconds")
                .description("Start time of the process since unix epoch in seconds.").register(registry);
        return true;
    }

    double cpuSeconds() {
        String[] f = stat();
        return f == null ? Double.NaN : (Long.parseLong(f[UTIME]) + Long.parseLong(f[STIME])) / USER_HZ;
    }

    /** {@code VmRSS} of {@code status} (kB): the same as stat's rss × page size, without needing the page size. */
    double residentBytes() {
        try (Stream<String> lines = Files.lines(proc.resolve("self/status"))) {
            return lines.filter(l -> l.startsWith("VmRSS:")).findFirst()
                    .map(l -> Double.parseDouble(l.substring(6).trim().split("\\s+")[0]) * 1024).orElse(Double.NaN);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    double openFds() {
        try (Stream<Path> fds = Files.list(proc.resolve("self/fd"))) {
            return fds.count();
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The soft limit of the {@code Max open files} row of {@code limits}. */
    double maxFds() {
        try (Stream<String> lines = Files.lines(proc.resolve("self/limits"))) {
            return lines.filter(l -> l.startsWith("Max open files")).findFirst().map(l -> {
                String soft = l.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Double.POSITIVE_INFINITY : Double.parseDouble(soft);
            }).orElse(Double.NaN);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Boot time ({@code btime} of {@code /proc/stat}) plus the process' start in ticks after boot. */
    double startTimeSeconds() {
        String[] f = stat();
        if (f == null) {
            return Double.NaN;
        }
        try {
            List<String> lines = Files.readAllLines(proc.resolve("stat"));
            for (String l : lines) {
                if (l.startsWith("btime ")) {
                    return Long.parseLong(l.substring(6).trim()) + Long.parseLong(f[STARTTIME]) / USER_HZ;
                }
            }
            return Double.NaN;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    double statField(int index) {
        String[] f = stat();
        return f == null ? Double.NaN : Double.parseDouble(f[index]);
    }

    /**
     * The fields of {@code self/stat} after the command name, which is in parentheses and may itself
     * contain spaces and parentheses (so the last {@code ')'} ends it); null when unreadable.
     */
    private String[] stat() {
        try {
            String s = Files.readString(proc.resolve("self/stat"));
            return s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
