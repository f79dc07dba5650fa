package dev.kedaotel.server;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The re-exec decision of plain {@code java -jar}: when it re-executes, with what, and when it leaves the JVM alone. */
class TunedJvmTest {
    private static final List<String> FLAGS = List.of("-XX:+UseSerialGC", "-Xms24m", "-Dkos.jvm=launcher");

    private static TunedJvm.Start jarStart(List<String> jvmArgs, Map<String, String> env, String marker) {
        return new TunedJvm.Start("/usr/bin/java", jvmArgs, Optional.of(Path.of("/opt/kos/keda-otel-scaler.jar")),
                "/opt/kos/keda-otel-scaler.jar", "dev.kedaotel.server.Main", List.of("--log-level=debug", "two words"), env, marker);
    }

    @Test
    void plainJavaJarBecomesTheLauncherCommandWithTheUsersFlagsAfterOurs() {
        TunedJvm.Plan plan = TunedJvm.plan(jarStart(List.of("-Duser.timezone=UTC"), Map.of(), null), FLAGS);
        assertEquals(List.of("/usr/bin/java", "-XX:+UseSerialGC", "-Xms24m", "-Dkos.jvm=launcher", "-Duser.timezone=UTC",
                "-Dkos.jvm=reexec", "-jar", "/opt/kos/keda-otel-scaler.jar", "--log-level=debug", "two words"),
                plan.command().orElseThrow(), plan.reason());
    }

    @Test
    void classPathStartIsRepeatedWithItsMainClass() {
        TunedJvm.Start start = new TunedJvm.Start("/usr/bin/java", List.of(), Optional.empty(), "a.jar:b.jar",
                "dev.kedaotel.server.Main", List.of(), Map.of(), null);
        assertEquals(List.of("/usr/bin/java", "-XX:+UseSerialGC", "-Xms24m", "-Dkos.jvm=launcher", "-Dkos.jvm=reexec",
                "-cp", "a.jar:b.jar", "dev.kedaotel.server.Main"), TunedJvm.plan(start, FLAGS).command().orElseThrow());
    }

    @Test
    void classPathStartAlsoGetsTheModuleOpensThatAJarStartHasFromItsManifest() {
        TunedJvm.Start start = new TunedJvm.Start("/usr/bin/java", List.of(), Optional.empty(), "a.jar",
                "dev.kedaotel.server.Main", List.of(), Map.of(), null);
        List<String> opens = List.of("--add-opens", "java.base/java.nio=ALL-UNNAMED");
        assertEquals(List.of("/usr/bin/java", "-XX:+UseSerialGC", "-Xms24m", "-Dkos.jvm=launcher", "-Dkos.jvm=reexec",
                "--add-opens", "java.base/java.nio=ALL-UNNAMED", "-cp", "a.jar", "dev.kedaotel.server.Main"),
                TunedJvm.plan(start, FLAGS, opens).command().orElseThrow());
        TunedJvm.Plan jar = TunedJvm.plan(jarStart(List.of(), Map.of(), null), FLAGS, opens);
        assertTrue(!jar.command().orElseThrow().contains("--add-opens"), jar.command().toString());
        assertTrue(TunedJvm.launcherLine("KOS_CLASSPATH_FLAGS=\"").contains("--add-opens"));
    }

    @Test
    void leavesTheJvmAloneWhenTheUserOrTheLauncherDecided() {
        for (String own : List.of("-Xmx2g", "-Xms1g", "-Xmn64m", "-XX:+UseG1GC", "-XX:+UseZGC", "-XX:MaxRAMPercentage=75",
                "-XX:MaxNewSize=32m")) {
            TunedJvm.Plan plan = TunedJvm.plan(jarStart(List.of(own), Map.of(), null), FLAGS);
            assertTrue(plan.command().isEmpty() && plan.reason().contains(own), own + ": " + plan.reason());
        }
        for (String agent : List.of("-agentlib:jdwp=transport=dt_socket,server=y,address=5005", "-javaagent:/x.jar")) {
            TunedJvm.Plan plan = TunedJvm.plan(jarStart(List.of(agent), Map.of(), null), FLAGS);
            assertTrue(plan.command().isEmpty() && plan.reason().contains("agent"), plan.reason());
        }
        assertTrue(TunedJvm.plan(jarStart(List.of(), Map.of(), "launcher"), FLAGS).command().isEmpty());
        assertTrue(TunedJvm.plan(jarStart(List.of(), Map.of("KOS_TUNED_JVM", "false"), null), FLAGS).command().isEmpty());
        assertTrue(TunedJvm.plan(jarStart(List.of(), Map.of(), null), List.of()).command().isEmpty());
    }

    @Test
    void theBundledLauncherIsWhereTheFlagsComeFrom() {
        List<String> flags = TunedJvm.launcherFlags();
        assertTrue(flags.contains("-Dkos.jvm=launcher"), flags.toString());
        assertTrue(flags.stream().anyMatch(f -> f.startsWith("-XX:+Use") && f.endsWith("GC")), flags.toString());
    }
}
