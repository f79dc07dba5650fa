package dev.kedaotel.server;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's {@code chromium} run headless as a child process, for tests of the HTML pages: the DOM after the
 * page loaded ({@code --dump-dom}) and screenshots. Each run gets a fresh temporary profile
 * ({@code --user-data-dir}), its output goes to files (a full pipe cannot block it), and it is given
 * {@value #TIMEOUT_SECONDS} s: a browser that hangs is killed through its own {@link Process} handle (and its
 * descendants, Chromium's helper processes), never by name.
 *
 * <p>Availability: {@code /usr/bin/chromium} (or {@code -Dchromium.path}). When it is missing the tests are
 * skipped — unless the environment variable {@code CI} is set or {@code -Dchromium.required=true}, where a
 * missing browser fails them with a message saying what to install ({@code .ci/run} installs it).
 */
final class HeadlessChromium {
    static final long TIMEOUT_SECONDS = 90;
    static final Path BINARY = Path.of(System.getProperty("chromium.path", "/usr/bin/chromium"));

    private HeadlessChromium() {
    }

    /** Skips the calling test when Chromium is missing, or fails it when CI (or -Dchromium.required) requires it. */
    static void assumeAvailable() {
        if (Files.isExecutable(BINARY)) {
            return;
        }
        String why = BINARY + " is missing: install Debian's chromium package (apt-get install chromium) to run the page tests";
        if (System.getenv("CI") != null || Boolean.getBoolean("chromium.required")) {
            fail(why + " (required: CI is set or -Dchromium.required=true)");
        }
        Assumptions.assumeTrue(false, why);
    }

    /** The serialised DOM of {@code url} once loaded. */
    static String dumpDom(String url) throws IOException, InterruptedException {
        return new String(run(List.of("--dump-dom", url), null), StandardCharsets.UTF_8);
    }

    /** A 1280×900 PNG of {@code url} written to {@code file}. */
    static void screenshot(String url, Path file) throws IOException, InterruptedException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        run(List.of("--screenshot=" + file.toAbsolutePath(), "--window-size=1280,900", "--hide-scrollbars", url), file);
        assertTrue(Files.size(file) > 1000, "screenshot " + file + " is (nearly) empty");
    }

    private static byte[] run(List<String> args, Path expectedFile) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("chromium-profile");
        Path out = Files.createTempFile("chromium", ".out");
        Path err = Files.createTempFile("chromium", ".err");
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--user-data-dir=" + profile));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                kill(p);
                fail("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + cmd + "\n" + tail(err));
            }
            if (p.exitValue() != 0) {
                fail("chromium exited with " + p.exitValue() + ": " + cmd + "\n" + tail(err));
            }
            if (expectedFile != null && !Files.exists(expectedFile)) {
                fail("chromium wrote no " + expectedFile + "\n" + tail(err));
            }
            return Files.readAllBytes(out);
        } finally {
            kill(p);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            deleteTree(profile);
        }
    }

    /** Ends the browser we started and its helpers, through their handles. */
    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private static String tail(Path err) throws IOException {
        String s = Files.readString(err, StandardCharsets.UTF_8);
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // a helper still writing its profile as it exits: the temporary directory is the system's to clean
        }
    }
}
