package dev.kedaotel.helm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.TemplateCommand;

/**
 * Renders the chart under test with helm-java (which embeds the helm library, so no helm binary or
 * cluster is needed). One instance describes one {@code helm template} invocation: release name,
 * namespace, values files and {@code --set} pairs.
 */
final class Chart {
    static final String RELEASE = "keda-otel-scaler";
    static final String NAMESPACE = "keda";
    /** helm template assumes Kubernetes 1.20 without a cluster; the chart needs a current one. */
    static final String KUBE_VERSION = "v1.31.0";

    private String release = RELEASE;
    private String namespace = NAMESPACE;
    private String kubeVersion = KUBE_VERSION;
    private final java.util.List<Path> valuesFiles = new java.util.ArrayList<>();
    private final Map<String, Object> sets = new LinkedHashMap<>();

    static Chart release(String name, String namespace) {
        Chart c = new Chart();
        c.release = name;
        c.namespace = namespace;
        return c;
    }

    /** Release keda-otel-scaler in namespace keda, as the README and KServe install it. */
    static Chart asDocumented() {
        return new Chart();
    }

    static Path chartDir() {
        return moduleDir().resolve("keda-otel-scaler");
    }

    static Path examplesDir() {
        return moduleDir().resolve("examples");
    }

    static Path testValues(String fileName) {
        return moduleDir().resolve("src/test/resources/values").resolve(fileName);
    }

    /** The helm module directory, whether tests run from it (Maven) or from the repository root. */
    static Path moduleDir() {
        String configured = System.getProperty("chart.dir");
        if (configured != null) {
            return Paths.get(configured).getParent();
        }
        Path here = Paths.get("").toAbsolutePath();
        return Files.isDirectory(here.resolve("keda-otel-scaler")) ? here : here.resolve("helm");
    }

    Chart values(String testValuesFile) {
        valuesFiles.add(testValues(testValuesFile));
        return this;
    }

    /** A values file outside the test resources (an example's chart values). */
    Chart valuesFile(Path file) {
        valuesFiles.add(file);
        return this;
    }

    /** The Kubernetes version helm assumes (Capabilities.KubeVersion). */
    Chart kubeVersion(String version) {
        this.kubeVersion = version;
        return this;
    }

    Chart set(String key, Object value) {
        sets.put(key, value);
        return this;
    }

    /** The rendered manifests as text; helm's error (template fail, schema violation) is thrown. */
    String renderText() {
        TemplateCommand cmd = new Helm(chartDir()).template().withName(release).withNamespace(namespace)
                .withKubeVersion(kubeVersion);
        for (Path p : valuesFiles) {
            cmd = cmd.withValuesFile(p);
        }
        for (Map.Entry<String, Object> e : sets.entrySet()) {
            cmd = cmd.set(e.getKey(), e.getValue());
        }
        return cmd.call();
    }

    /**
     * NOTES.txt as {@code helm install} prints it: a client-only dry run (no cluster contacted), whose
     * output ends with the rendered notes.
     */
    String renderNotes() {
        InstallCommand cmd = new Helm(chartDir()).install().withName(release).withNamespace(namespace)
                .withKubeVersion(kubeVersion).clientOnly().dryRun();
        for (Path p : valuesFiles) {
            cmd = cmd.withValuesFile(p);
        }
        for (Map.Entry<String, Object> e : sets.entrySet()) {
            cmd = cmd.set(e.getKey(), e.getValue());
        }
        String output = cmd.call().getOutput();
        int notes = output.indexOf("NOTES:");
        if (notes < 0) {
            throw new AssertionError("helm install printed no NOTES:\n" + output);
        }
        return output.substring(notes + "NOTES:".length());
    }

    Manifests render() {
        return Manifests.parse(renderText());
    }

    /** Renders expecting helm to refuse; returns helm's message. */
    String renderError() {
        try {
            String out = renderText();
            throw new AssertionError("expected helm template to fail, but it rendered:\n" + out);
        } catch (AssertionError e) {
            throw e;
        } catch (RuntimeException e) {
            return String.valueOf(e.getMessage());
        }
    }
}
