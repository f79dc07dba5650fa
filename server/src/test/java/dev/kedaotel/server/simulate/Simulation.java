package dev.kedaotel.server.simulate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs the {@code simulate} subcommand on real files written to a test directory and reads its table back:
 * the tests assert on what a user sees, not on internals. Times in the histories are seconds after
 * {@link #T0} (2026-12-01T12:00:00Z) and the table's rows are keyed the same way.
 */
final class Simulation {
    static final long T0 = 1_796_126_400L; // 2026-12-01T12:00:00Z

    final String stdout;
    final String stderr;
    final int status;

    private Simulation(String stdout, String stderr, int status) {
        this.stdout = stdout;
        this.stderr = stderr;
        this.status = status;
    }

    /** Runs with {@code scaledObject} YAML text and one CSV history of {@code seconds,value} pairs. */
    static Simulation run(Path dir, String scaledObject, String csv, String... extra) throws IOException {
        Path so = dir.resolve("so.yaml");
        Path history = dir.resolve("history.csv");
        Files.writeString(so, scaledObject);
        Files.writeString(history, csv);
        List<String> args = new ArrayList<>(List.of("--scaled-object", so.toString(), "--history", history.toString()));
        args.addAll(List.of(extra));
        return command(args.toArray(new String[0]));
    }

    static Simulation command(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SimulateCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Simulation(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), status);
    }

    /** A CSV from {@code value} at every 15 s from 0 to {@code lastSecond}, computed per second offset. */
    static String csv(int lastSecond, java.util.function.IntFunction<String> value) {
        StringBuilder b = new StringBuilder("timestamp,value\n");
        for (int s = 0; s <= lastSecond; s += 15) {
            b.append(T0 + s).append(',').append(value.apply(s)).append('\n');
        }
        return b.toString();
    }

    /** The table's rows by second offset: the cells after the time. */
    Map<Integer, String[]> rows() {
        assertEquals(0, status, "exit status; stderr: " + stderr + "\nstdout:\n" + stdout);
        Map<Integer, String[]> rows = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) {
            if (line.startsWith("#") || line.startsWith("time")) {
                continue;
            }
            String[] cells = line.trim().split("\\s{2,}");
            String[] hms = cells[0].split(":");
            int second = Integer.parseInt(hms[0]) * 3600 + Integer.parseInt(hms[1]) * 60 + Integer.parseInt(hms[2]) - 12 * 3600;
            rows.put(second, cells);
        }
        return rows;
    }

    /** The replica count at {@code second} (the table's replicas column). */
    int replicasAt(int second) {
        String[] cells = rows().get(second);
        if (cells == null) {
            throw new AssertionError("no row at +" + second + " s in:\n" + stdout);
        }
        return Integer.parseInt(cells[5]);
    }

    /** The replica counts at {@code seconds}. */
    List<Integer> replicasAt(int... seconds) {
        List<Integer> out = new ArrayList<>();
        for (int s : seconds) {
            out.add(replicasAt(s));
        }
        return out;
    }

    /** A cell of the row at {@code second}: 1 value, 2 active, 3 keda, 4 hpa, 5 replicas, 6 reason. */
    String cell(int second, int column) {
        String[] cells = rows().get(second);
        if (cells == null) {
            throw new AssertionError("no row at +" + second + " s in:\n" + stdout);
        }
        return column < cells.length ? cells[column] : "";
    }
}
