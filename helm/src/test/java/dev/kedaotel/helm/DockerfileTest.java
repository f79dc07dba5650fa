package dev.kedaotel.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * No container engine runs in CI, so the image cannot be built here; this checks the Dockerfile
 * against what the chart relies on (uid, ports, launcher) and that the files it copies exist.
 */
class DockerfileTest {
    private static List<String> instructions() throws IOException {
        return Files.readAllLines(Chart.moduleDir().resolve("Dockerfile")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toList());
    }

    @Test
    void runtimeStageIsJre17RunningTheLauncherAsUid1000AndExposesTheFourPorts() throws IOException {
        List<String> lines = instructions();
        List<String> froms = lines.stream().filter(l -> l.startsWith("FROM ")).collect(Collectors.toList());
        assertEquals(2, froms.size(), "multi-stage: " + froms);
        assertTrue(froms.get(0).contains("temurin-17") && froms.get(0).contains(" AS build"), froms.get(0));
        assertEquals("FROM eclipse-temurin:17-jre", froms.get(1));
        assertTrue(lines.contains("USER 1000:1000"));
        assertTrue(lines.contains("EXPOSE 4317 4318 9090 8080"));
        assertTrue(lines.contains("ENTRYPOINT [\"/app/keda-otel-scaler\"]"));
        assertTrue(lines.stream().anyMatch(l -> l.contains("/app/keda-otel-scaler.jar")));
    }

    @Test
    void filesTheBuildCopiesExistInTheRepository() {
        Path root = Chart.moduleDir().getParent();
        assertTrue(Files.isRegularFile(root.resolve("server/src/main/dist/keda-otel-scaler")), "launcher script");
        assertTrue(Files.isRegularFile(root.resolve("server/pom.xml")), "server module");
    }
}
