package dev.kedaotel.server.simulate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's simulator command exactly as a user runs it, {@code java -jar keda-otel-scaler.jar simulate ...},
 * against the shaded jar the build just made (snakeyaml inside it, no server started, no JVM re-exec).
 */
class SimulateJarIT {
    private static final Path JAR = Path.of(System.getProperty("kos.jar", "target/keda-otel-scaler.jar"));
    private static final Path ROOT = Path.of("..");

    @TempDir
    Path dir;

    @Test
    void readmeCommandWithTheJar() throws Exception {
        Path svg = dir.resolve("simulator.svg");
        Path log = dir.resolve("out.txt");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "simulate",
                "--scaled-object", ROOT.resolve("examples/simulator/scaledobject.yaml").toString(),
                "--history", ROOT.resolve("examples/simulator/history.json").toString(), "--step", "60", "--svg", svg.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "simulate finished");
        assertEquals(0, p.exitValue(), Files.readString(log));
        assertTrue(Files.readString(log).startsWith("# ScaledObject llama-predictor"), Files.readString(log));
        assertEquals(Files.readString(ROOT.resolve("docs/images/simulator.svg")), Files.readString(svg));
    }
}
