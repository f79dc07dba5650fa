package dev.kedaotel.server.simulate;

import dev.kedaotel.server.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's simulator command on the committed example files, through {@link Main} (in this JVM, and once
 * as a child process): the committed chart {@code docs/images/simulator.svg} must be exactly what the command
 * writes and every line of the README's table excerpt must be in its output, so neither can go stale.
 */
class ReadmeSimulationTest {
    private static final Path ROOT = Path.of("..");

    @TempDir
    Path dir;

    private List<String> readmeArgs(Path svg) {
        return List.of("simulate", "--scaled-object", ROOT.resolve("examples/simulator/scaledobject.yaml").toString(),
                "--history", ROOT.resolve("examples/simulator/history.json").toString(), "--step", "60",
                "--svg", svg.toString());
    }

    @Test
    void readmeCommandReproducesTheCommittedChartAndTable() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertTrue(readme.contains("simulate --scaled-object examples/simulator/scaledobject.yaml \\\n"
                + "  --history examples/simulator/history.json --step 60 --svg docs/images/simulator.svg"),
                "the README shows the command this test runs");
        Path svg = dir.resolve("simulator.svg");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            Main.main(readmeArgs(svg).toArray(new String[0]));
        } finally {
            System.setOut(saved);
        }
        String table = out.toString(StandardCharsets.UTF_8);
        assertEquals(Files.readString(ROOT.resolve("docs/images/simulator.svg")), Files.readString(svg),
                "docs/images/simulator.svg is stale: run the README's simulate command from the repository root");
        int start = readme.indexOf("```text\n# ScaledObject llama-predictor");
        assertTrue(start > 0, "README has the table excerpt");
        String excerpt = readme.substring(start + "```text\n".length(), readme.indexOf("```", start + 7));
        List<String> lines = new ArrayList<>();
        for (String line : excerpt.split("\n")) {
            if (!line.equals("...")) {
                lines.add(line);
                assertTrue(table.contains(line + "\n"), "README table line not in the output: " + line + "\n" + table);
            }
        }
        assertTrue(lines.size() > 10);
        // The example shows every mechanism the README names.
        assertTrue(table.contains("activate 0→1") && table.contains("fallback for queue") && table.contains("inactive > cooldown: →0")
                && table.contains("stabilized: highest recommendation in 120 s"), table);
    }

    @Test
    void runsAsAChildProcessWithExitStatuses() throws Exception {
        Path svg = dir.resolve("child.svg");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(readmeArgs(svg));
        Path log = dir.resolve("out.txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "simulate finished");
        assertEquals(0, p.exitValue(), Files.readString(log));
        assertTrue(Files.readString(log).contains("12:24:00  0      no      inactive > cooldown: →0"), Files.readString(log));
        assertEquals(Files.readString(ROOT.resolve("docs/images/simulator.svg")), Files.readString(svg));

        List<String> bad = new ArrayList<>(cmd.subList(0, 4));
        bad.addAll(List.of("simulate", "--scaled-object", ROOT.resolve("README.md").toString(), "--history", "x.csv"));
        Process q = new ProcessBuilder(bad).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(q.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, q.exitValue(), Files.readString(log));
        assertTrue(Files.readString(log).startsWith("keda-otel-scaler simulate: "), Files.readString(log));
    }
}
