package dev.kedaotel.server;

import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's run command, {@code java -jar keda-otel-scaler.jar} with no JVM flags, against the shaded jar
 * the build just made: the process re-executes itself in place (same PID) with the launcher's flags, serves,
 * and stops on SIGTERM with the server's own exit status; with a memory flag of the user's it does not.
 */
class PlainJarIT {
    private static final Path JAR = Path.of(System.getProperty("kos.jar", "target/keda-otel-scaler.jar"));

    private static Process javaJar(Path log, List<String> jvmArgs, int http) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmArgs);
        // No warm-up: these tests wait for /readyz to see how the JVM was started, not for the window.
        cmd.addAll(List.of("-jar", JAR.toString(), "--rest-api-port=" + http, "--otlp-receiver-port=0",
                "--keda-external-scaler-port=0", "--internal-metrics-port=0", "--metric-store-warm-up-seconds=0"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove(TunedJvm.OPT_OUT_ENV);
        return pb.start();
    }

    private static String commandLine(Process p) throws Exception {
        return Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"), StandardCharsets.UTF_8).replace('\0', ' ');
    }

    @Test
    void plainJavaJarRunsWithTheLauncherFlagsUnderTheSamePid() throws Exception {
        Path log = Files.createTempFile("kos-plain-jar", ".log");
        int http = ProcessLifecycleTest.freePort();
        Process p = javaJar(log, List.of(), http);
        try {
            ServerProcess.awaitReady(HttpClient.newHttpClient(), http, p, log);
            String cmdline = commandLine(p);
            assertTrue(cmdline.contains("-Dkos.jvm=reexec"), cmdline);
            for (String flag : TunedJvm.launcherFlags()) {
                assertTrue(cmdline.contains(flag), flag + " missing from " + cmdline);
            }
            p.destroy(); // SIGTERM to the PID we started: the re-executed server receives it
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "did not stop within 20 s of SIGTERM");
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(143, p.exitValue(), out);
            assertTrue(out.contains("shutting down"), out);
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    /** The jar's manifest gives {@code --version} the project version (the class path gives "dev"). */
    @Test
    void versionNamesTheBuiltVersion() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString(),
                "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        // Built from a git checkout (CI's clone), the line names the commit too: "keda-otel-scaler 0.1.0 (0123456789ab)".
        String revision = Files.exists(Path.of("..", ".git")) ? " \\([0-9a-f]{12}(-dirty)?\\)" : "";
        assertTrue(out.matches("keda-otel-scaler \\d+\\.\\d+\\.\\d+\\S*" + revision + "\n"), out);
    }

    @Test
    void aMemoryFlagOfTheUsersKeepsTheirJvm() throws Exception {
        Path log = Files.createTempFile("kos-plain-jar-xmx", ".log");
        int http = ProcessLifecycleTest.freePort();
        Process p = javaJar(log, List.of("-Xmx256m"), http);
        try {
            ServerProcess.awaitReady(HttpClient.newHttpClient(), http, p, log);
            String cmdline = commandLine(p);
            assertFalse(cmdline.contains("-Dkos.jvm"), cmdline);
            assertTrue(cmdline.contains("-Xmx256m"), cmdline);
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }
}
