package dev.kedaotel.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The service in its own JVM, started through {@link Main} with this test's class path, as an operator runs
 * it: for tests that need what only a separate process shows (SIGTERM, {@code kill -9}, exit codes, a
 * restart on the same ports and data directory). Output goes to a log file the assertions quote.
 */
final class ServerProcess implements AutoCloseable {
    final Process process;
    final Path log;

    private ServerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static ServerProcess start(Path log, List<String> jvmArgs, String... args) throws IOException {
        return start(log, jvmArgs, Map.of(), args);
    }

    /** @param env added to this JVM's environment (e.g. {@code LOG_FORMAT}) */
    static ServerProcess start(Path log, List<String> jvmArgs, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Process p = pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new ServerProcess(p, log);
    }

    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Polls {@code /readyz} on {@code httpPort} until it answers 200, the process dies, or 60 s pass. */
    void awaitReady(HttpClient client, int httpPort) throws Exception {
        awaitReady(client, httpPort, process, log);
    }

    /** The same for a process started otherwise (a plain {@code java -jar}); {@code log} is quoted when it fails. */
    static void awaitReady(HttpClient client, int httpPort, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int status = -1;
        while (System.nanoTime() < deadline && process.isAlive() && status != 200) {
            try {
                status = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/readyz")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException notYetListening) {
                // keep polling until the deadline
            }
            if (status != 200) {
                Thread.sleep(50);
            }
        }
        assertEquals(200, status, Files.readString(log, StandardCharsets.UTF_8));
    }

    /** SIGKILL: no shutdown hook, no flush — what an OOM kill or {@code kill -9} does. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
