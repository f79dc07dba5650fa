package dev.kedaotel.server;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gives plain {@code java -jar keda-otel-scaler.jar} the launcher's JVM flags by replacing the process
 * image with {@code exec(2)} before anything starts.
 *
 * <p><b>Why.</b> The collector, the heap's sizing and the young generation can only be chosen on the
 * {@code java} command line; a jar cannot carry them. Without them the JVM sizes itself from the machine:
 * on a 2-core, 24 GiB host that is G1 with a 384 MiB initial and 6 GiB maximum heap, which a store whose
 * live heap is ~40 MiB at 100k series lets grow to hundreds of MiB of touched-but-empty regions (issue 11:
 * 468 MiB and climbing at 100k series, against 180 MiB with the launcher's flags). The README's run command
 * is plain {@code java -jar}, so the jar's own defaults must be the lean ones.
 *
 * <p><b>How.</b> {@link #reexecIfUntuned} runs first in {@code main}. If this JVM was not started by the
 * launcher (or by an earlier re-exec) — the system property {@value #MARKER} is absent — and the user chose
 * nothing about memory or the collector themselves, it builds the same command with the launcher's flags in
 * front (the user's own JVM flags follow, so they still apply), adds the application CDS archive next to
 * the jar when there is one, and calls {@code execv} through JNA. {@code exec} keeps the PID, the parent,
 * the environment, stdin/stdout/stderr and the exit status: PID 1 in a container stays PID 1, SIGTERM
 * reaches the server, a shell sees its exit code. No second JVM stays behind (a child process would keep
 * ~30 MiB resident for nothing). The flags come from the launcher script itself, bundled in the jar, so
 * they have one owner: {@code KOS_JVM_FLAGS} in {@code server/src/main/dist/keda-otel-scaler}.
 *
 * <p><b>When not.</b> Any memory or collector flag of the user's ({@code -Xmx}, {@code -XX:+Use…GC},
 * {@code -XX:MaxRAMPercentage}, …): they are in charge. A debugger or agent ({@code -agentlib},
 * {@code -javaagent}, {@code -agentpath}): re-running it would bind its port twice. The environment variable
 * {@value #OPT_OUT_ENV}{@code =false}. Not started from a jar or a class path we can name again. If
 * {@code execv} itself fails (no JNA native library, a {@code noexec} temporary directory), the server says
 * so on stderr and runs on in this JVM — slower to shrink, never broken.
 *
 * <p>The cost is one extra JVM start (~0.1-0.2 s) for plain {@code java -jar}; the launcher and the
 * container image pass the flags themselves and never re-exec.
 */
final class TunedJvm {
    /** System property set by the launcher's flags and by the re-exec: this JVM already runs tuned. */
    static final String MARKER = "kos.jvm";
    /** Environment variable that turns the re-exec off ({@code false}). */
    static final String OPT_OUT_ENV = "KOS_TUNED_JVM";
    private static final String LAUNCHER_RESOURCE = "/dev/kedaotel/server/dist/keda-otel-scaler";
    private static final String FLAGS_LINE = "KOS_JVM_FLAGS=\"";
    /** The module opens a -jar start gets from the manifest, which a -cp start needs on the command line. */
    private static final String CLASS_PATH_FLAGS_LINE = "KOS_CLASSPATH_FLAGS=\"";

    /** JVM flags that decide memory or the collector: when the user gave one, we leave the JVM alone. */
    private static final List<String> MEMORY_FLAG_PREFIXES = List.of("-Xmx", "-Xms", "-Xmn", "-XX:MaxRAM", "-XX:InitialRAM",
            "-XX:MinRAM", "-XX:MaxHeapSize", "-XX:InitialHeapSize", "-XX:NewSize", "-XX:MaxNewSize", "-XX:NewRatio");
    private static final List<String> AGENT_PREFIXES = List.of("-agentlib", "-agentpath", "-javaagent", "-Xrunjdwp", "-Xdebug");

    private TunedJvm() {
    }

    /** How this JVM was started, as far as the decision needs it. */
    record Start(String javaCommand, List<String> jvmArgs, Optional<Path> jar, String classPath, String mainClass,
                 List<String> programArgs, Map<String, String> env, String marker) {
    }

    /** The decision: a command to exec, or why not. */
    record Plan(Optional<List<String>> command, String reason) {
        static Plan skip(String reason) {
            return new Plan(Optional.empty(), reason);
        }
    }

    /**
     * Re-executes this process with the launcher's flags when it was started without them; returns (and the
     * server starts in this JVM) when it should not or cannot.
     */
    static void reexecIfUntuned(String[] args) {
        Plan plan = plan(currentStart(args), launcherFlags(), launcherLine(CLASS_PATH_FLAGS_LINE));
        if (plan.command().isEmpty()) {
            return;
        }
        List<String> command = plan.command().get();
        System.out.flush();
        System.err.flush();
        try {
            LibC.INSTANCE.execv(command.get(0), command.toArray(String[]::new));
            // execv returns only on failure.
            System.err.println("keda-otel-scaler: could not re-execute with the launcher's JVM flags (execv failed, errno "
                    + Native.getLastError() + "); running with the JVM's own defaults");
        } catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError: no usable JNA on this platform
            System.err.println("keda-otel-scaler: could not re-execute with the launcher's JVM flags (" + e
                    + "); running with the JVM's own defaults");
        }
    }

    /** {@link #plan(Start, List, List)} for a start that needs no class-path flags. */
    static Plan plan(Start start, List<String> launcherFlags) {
        return plan(start, launcherFlags, List.of());
    }

    /** Pure decision, tested without exec; {@code classPathFlags} go only into a -cp command. */
    static Plan plan(Start start, List<String> launcherFlags, List<String> classPathFlags) {
        if (start.marker() != null) {
            return Plan.skip("already tuned (" + MARKER + "=" + start.marker() + ")");
        }
        if ("false".equalsIgnoreCase(start.env().getOrDefault(OPT_OUT_ENV, ""))) {
            return Plan.skip(OPT_OUT_ENV + "=false");
        }
        for (String a : start.jvmArgs()) {
            if (startsWithAny(a, AGENT_PREFIXES)) {
                return Plan.skip("an agent or debugger is attached (" + a + ")");
            }
            if (startsWithAny(a, MEMORY_FLAG_PREFIXES) || (a.startsWith("-XX:+Use") && a.endsWith("GC"))) {
                return Plan.skip("the user chose the JVM's memory flags (" + a + ")");
            }
        }
        if (launcherFlags.isEmpty()) {
            return Plan.skip("no launcher flags bundled");
        }
        List<String> command = new ArrayList<>();
        command.add(start.javaCommand());
        command.addAll(launcherFlags);
        start.jar().flatMap(TunedJvm::cdsArchiveBeside).ifPresent(a -> command.add("-XX:SharedArchiveFile=" + a));
        command.addAll(start.jvmArgs());
        command.add("-D" + MARKER + "=reexec");
        if (start.jar().isPresent()) {
            command.add("-jar");
            command.add(start.jar().get().toString());
        } else if (start.classPath() != null && !start.classPath().isEmpty() && start.mainClass() != null) {
            command.addAll(classPathFlags);
            command.add("-cp");
            command.add(start.classPath());
            command.add(start.mainClass());
        } else {
            return Plan.skip("cannot name the jar or class path again");
        }
        command.addAll(start.programArgs());
        return new Plan(Optional.of(command), "re-exec with the launcher's flags");
    }

    /** The launcher's {@code KOS_JVM_FLAGS} line, read from the copy of the launcher bundled in the jar. */
    static List<String> launcherFlags() {
        return launcherLine(FLAGS_LINE);
    }

    /** The flags of one {@code NAME="..."} line of the bundled launcher, or none. */
    static List<String> launcherLine(String prefix) {
        try (InputStream in = TunedJvm.class.getResourceAsStream(LAUNCHER_RESOURCE)) {
            if (in == null) {
                return List.of();
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith(prefix) && line.endsWith("\"")) {
                    String flags = line.substring(prefix.length(), line.length() - 1).trim();
                    return flags.isEmpty() ? List.of() : Arrays.asList(flags.split("\\s+"));
                }
            }
            return List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The launcher's rule: {@code keda-otel-scaler.jsa} next to the jar, when readable. */
    private static Optional<Path> cdsArchiveBeside(Path jar) {
        Path dir = jar.toAbsolutePath().getParent();
        Path archive = dir == null ? null : dir.resolve("keda-otel-scaler.jsa");
        return archive != null && Files.isReadable(archive) ? Optional.of(archive) : Optional.empty();
    }

    private static Start currentStart(String[] args) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // After -jar, the class path is exactly the jar and "sun.java.command" starts with it; after -cp,
        // "sun.java.command" starts with the main class.
        String classPath = System.getProperty("java.class.path", "");
        String command = System.getProperty("sun.java.command", "");
        boolean fromJar = classPath.endsWith(".jar") && !classPath.contains(File.pathSeparator) && command.startsWith(classPath);
        Optional<Path> jar = fromJar ? Optional.of(Path.of(classPath).toAbsolutePath()) : Optional.empty();
        return new Start(java, ManagementFactory.getRuntimeMXBean().getInputArguments(), jar, classPath,
                Main.class.getName(), List.of(args), System.getenv(), System.getProperty(MARKER));
    }

    private static boolean startsWithAny(String s, List<String> prefixes) {
        for (String p : prefixes) {
            if (s.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** {@code execv(2)}: JNA passes a {@code String[]} as a NULL-terminated {@code char**}. */
    private interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int execv(String path, String[] argv);
    }
}
