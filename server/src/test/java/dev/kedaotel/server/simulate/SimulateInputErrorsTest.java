package dev.kedaotel.server.simulate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input stops the command with status 2 and one line naming the file, the line and the field (or the
 * option), and nothing on stdout; what the simulator cannot model is refused, never silently ignored.
 */
class SimulateInputErrorsTest {
    private static final String GOOD = "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata:\n  name: w\nspec:\n"
            + "  scaleTargetRef:\n    name: w\n  triggers:\n    - type: external\n      metadata:\n        targetValue: \"10\"\n";

    @TempDir
    Path dir;

    private Simulation fails(String yaml, String csv, String... extra) throws Exception {
        Simulation sim = Simulation.run(dir, yaml, csv, extra);
        assertEquals(2, sim.status, sim.stdout + sim.stderr);
        assertEquals("", sim.stdout);
        assertEquals(1, sim.stderr.strip().lines().count(), sim.stderr);
        return sim;
    }

    @Test
    void scaledObjectErrorsNameFileLineAndField() throws Exception {
        String csv = Simulation.csv(0, s -> "1");
        assertTrue(fails(GOOD.replace("keda.sh/v1alpha1", "autoscaling/v2"), csv).stderr
                .contains("so.yaml:1: apiVersion: \"autoscaling/v2\" is not keda.sh/v1alpha1"));
        String badPolicy = GOOD.replace("  triggers:", "  advanced:\n    horizontalPodAutoscalerConfig:\n      behavior:\n"
                + "        scaleDown:\n          policies:\n            - type: Pod\n              value: 1\n"
                + "              periodSeconds: 60\n  triggers:");
        assertTrue(fails(badPolicy, csv).stderr.contains(
                "so.yaml:13: spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.policies[0].type: \"Pod\" is not Pods or Percent"));
        assertTrue(fails(GOOD.replace("  triggers:", "  advanced:\n    scalingModifiers:\n      formula: a\n  triggers:"), csv)
                .stderr.contains("spec.advanced.scalingModifiers: scaling modifiers"));
        assertTrue(fails(GOOD.replace("targetValue: \"10\"", "targetValue: \"ten\""), csv).stderr
                .contains("so.yaml:11: spec.triggers[0].metadata.targetValue: not a number or Kubernetes quantity: \"ten\""));
        assertTrue(fails(GOOD.replace("type: external", "type: cpu"), csv).stderr
                .contains("spec.triggers[0].type: \"cpu\" is not simulated"));
        assertTrue(fails(GOOD.replace("  triggers:", "  pollingIntervall: 5\n  triggers:"), csv).stderr
                .contains("so.yaml:8: spec.pollingIntervall: unknown or unsupported field"));
        assertTrue(fails(GOOD.replace("      metadata:", "      metricType: Utilization\n      metadata:"), csv).stderr
                .contains("(Utilization is for cpu and memory triggers only)"));
        assertTrue(fails(GOOD.replace("  triggers:", "  minReplicaCount: 5\n  maxReplicaCount: 2\n  triggers:"), csv).stderr
                .contains("spec.maxReplicaCount: 2 is less than minReplicaCount 5"));
        assertTrue(fails("spec: [", csv).stderr.contains("so.yaml:1: not valid YAML: while parsing a flow node: expected the node content"));
    }

    @Test
    void historyErrorsNameFileAndLine() throws Exception {
        assertTrue(fails(GOOD, "timestamp,value\n2026-12-01T12:00:00Z,1\nyesterday,2\n").stderr
                .contains("history.csv:3: timestamp \"yesterday\" is neither RFC 3339"));
        // A year beyond what an epoch millisecond holds is an input error, not an ArithmeticException.
        assertTrue(fails(GOOD, "timestamp,value\n+999999999-01-01T00:00:00Z,1\n").stderr
                .contains("history.csv:2: timestamp \"+999999999-01-01T00:00:00Z\" is neither RFC 3339"));
        assertTrue(fails(GOOD, "1796126400,1\n1796126400,2\n").stderr
                .contains("history.csv:2: timestamp \"1796126400\" is not after the previous line's"));
        assertTrue(fails(GOOD, "1796126400,lots\n").stderr.contains("history.csv:1: value \"lots\" is not a number"));
        assertTrue(fails(GOOD, "1796126400;1\n").stderr.contains("history.csv:1: expected two columns"));
        String twoSeries = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{\"pod\":\"a\"},\"values\":[[1796126400,\"1\"]]},"
                + "{\"metric\":{\"pod\":\"b\"},\"values\":[[1796126400,\"2\"]]}]}}";
        Files.writeString(dir.resolve("so.yaml"), GOOD);
        Files.writeString(dir.resolve("h.json"), twoSeries);
        Simulation ambiguous = Simulation.command("--scaled-object", dir.resolve("so.yaml").toString(),
                "--history", dir.resolve("h.json").toString());
        assertEquals(2, ambiguous.status);
        assertTrue(ambiguous.stderr.contains("2 series; pick one with --series label=value[,label=value] from: {pod=\"a\"} {pod=\"b\"}"),
                ambiguous.stderr);
        Simulation picked = Simulation.command("--scaled-object", dir.resolve("so.yaml").toString(),
                "--history", dir.resolve("h.json").toString(), "--series", "pod=b", "--current-replicas", "1");
        assertEquals("2", picked.cell(0, 1));
    }

    @Test
    void optionErrors() throws Exception {
        Simulation missing = Simulation.command("--scaled-object", dir.resolve("nope.yaml").toString(), "--history", "h.csv");
        assertEquals(2, missing.status);
        assertTrue(missing.stderr.contains("nope.yaml: no such file"), missing.stderr);
        Simulation unknown = Simulation.command("--scaled-object", "a", "--history", "b", "--stpe", "5");
        assertEquals(2, unknown.status);
        assertTrue(unknown.stderr.contains("unknown option --stpe"), unknown.stderr);
        assertTrue(Simulation.command("--history", "b").stderr.contains("--scaled-object FILE is required"));
        Simulation help = Simulation.command("--help");
        assertEquals(0, help.status);
        assertTrue(help.stdout.startsWith("usage: keda-otel-scaler simulate"));
        String two = GOOD.replace("  triggers:\n", "  triggers:\n    - type: external\n      name: second\n      metadata:\n"
                + "        targetValue: \"1\"\n");
        Simulation needsNames = Simulation.run(dir, two, Simulation.csv(0, s -> "1"));
        assertEquals(2, needsNames.status);
        assertTrue(needsNames.stderr.contains("give one --history NAME=FILE per trigger, NAME from: second, trigger1"),
                needsNames.stderr);
    }

    @Test
    void chartTextIsEscaped() throws Exception {
        String hostile = GOOD.replace("name: w\nspec", "name: \"<script>alert('x')</script>&\"\nspec")
                .replace("- type: external\n", "- type: external\n      name: \"q<b>\"\n");
        Files.writeString(dir.resolve("so.yaml"), hostile);
        Files.writeString(dir.resolve("h.csv"), Simulation.csv(30, s -> "5"));
        Path svg = dir.resolve("chart.svg");
        Simulation sim = Simulation.command("--scaled-object", dir.resolve("so.yaml").toString(),
                "--history", "q<b>=" + dir.resolve("h.csv"), "--svg", svg.toString());
        assertEquals(0, sim.status, sim.stderr);
        String text = Files.readString(svg);
        assertTrue(text.contains("ScaledObject &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;"), text);
        assertTrue(text.contains("q&lt;b&gt; (external"), text);
        assertTrue(!text.contains("<script") && !text.contains("<b>"), text);
        javax.xml.parsers.DocumentBuilderFactory f = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.newDocumentBuilder().parse(svg.toFile()); // well-formed XML
    }
}
