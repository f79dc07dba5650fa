package dev.kedaotel.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ProcessMetrics} on a proc directory written by the test, so every value is known: the standard names,
 * client_golang's arithmetic (ticks of 1/100 s, boot time plus start ticks), a command name with spaces and
 * parentheses, and nothing at all where there is no {@code self/stat}.
 */
class ProcessMetricsTest {
    @TempDir
    Path proc;

    private void writeProc(String comm) throws Exception {
        Files.createDirectories(proc.resolve("self/fd"));
        for (int fd = 0; fd < 7; fd++) {
            Files.writeString(proc.resolve("self/fd/" + fd), "");
        }
        // pid (comm) state ppid ... field 14 utime=250, 15 stime=125, 22 starttime=5000, 23 vsize=123456789, 24 rss=42
        StringBuilder stat = new StringBuilder("4242 (" + comm + ") S 1 4242 4242 0 -1 4194304 100 0 0 0 250 125 0 0 20 0 30 0 5000 123456789 42");
        for (int i = 0; i < 28; i++) {
            stat.append(" 0");
        }
        Files.writeString(proc.resolve("self/stat"), stat + "\n");
        Files.writeString(proc.resolve("self/status"), "Name:\tjava\nVmSize:\t 120563 kB\nVmRSS:\t   81920 kB\nThreads:\t30\n");
        Files.writeString(proc.resolve("self/limits"), "Limit                     Soft Limit           Hard Limit           Units     \n"
                + "Max cpu time              unlimited            unlimited            seconds   \n"
                + "Max open files            65536                1048576              files     \n");
        Files.writeString(proc.resolve("stat"), "cpu  1 2 3\nbtime 1796258221\nprocesses 100\n");
    }

    private String scrape() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        assertTrue(new ProcessMetrics(proc).bindTo(registry));
        return registry.scrape();
    }

    @Test
    void standardNamesAndValues() throws Exception {
        writeProc("java");
        String text = scrape();
        assertTrue(text.contains("# TYPE process_cpu_seconds_total counter\n"), text);
        assertTrue(text.contains("\nprocess_cpu_seconds_total 3.75\n"), text);
        assertTrue(text.contains("\nprocess_resident_memory_bytes 8.388608E7\n"), text);
        assertTrue(text.contains("\nprocess_virtual_memory_bytes 1.23456789E8\n"), text);
        assertTrue(text.contains("\nprocess_open_fds 7.0\n"), text);
        assertTrue(text.contains("\nprocess_max_fds 65536.0\n"), text);
        assertTrue(text.contains("\nprocess_start_time_seconds 1.796258271E9\n"), text);
        assertTrue(text.contains("# HELP process_open_fds Number of open file descriptors.\n"), text);
    }

    @Test
    void commandNameWithSpacesAndParentheses() throws Exception {
        writeProc("my (odd) name");
        assertTrue(scrape().contains("\nprocess_cpu_seconds_total 3.75\n"));
    }

    @Test
    void unlimitedFileDescriptors() throws Exception {
        writeProc("java");
        Files.writeString(proc.resolve("self/limits"), "Max open files            unlimited            unlimited            files     \n");
        assertTrue(scrape().contains("\nprocess_max_fds +Inf\n"));
    }

    @Test
    void nothingWithoutProc() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        assertFalse(new ProcessMetrics(proc.resolve("absent")).bindTo(registry));
        assertEquals("", registry.scrape().strip());
    }
}
