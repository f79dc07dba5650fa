package dev.kedaotel.server.simulate;

import dev.kedaotel.scaler.KubernetesQuantity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads a KEDA ScaledObject YAML into a {@link ScaledObjectSpec}. Every field the simulator cannot honour is
 * refused with an error naming it (file, line, dotted path), never silently ignored, so a simulation never
 * looks right while modelling something else. Fields that do not change the replica count
 * ({@code scaleTargetRef}, {@code horizontalPodAutoscalerConfig.name}, trigger {@code metricQuery},
 * {@code authenticationRef}, ...) are accepted and ignored.
 */
final class ScaledObjectParser {
    private static final int MAX_REPLICAS = 100_000;
    private static final int MAX_SECONDS = 7 * 24 * 3600;

    private ScaledObjectParser() {
    }

    static ScaledObjectSpec parse(String file, String text) throws BadInputException {
        YamlNode root = YamlNode.parse(file, text);
        String apiVersion = root.require("apiVersion").text();
        if (!apiVersion.equals("keda.sh/v1alpha1")) {
            throw root.require("apiVersion").error("\"" + apiVersion + "\" is not keda.sh/v1alpha1");
        }
        String kind = root.require("kind").text();
        if (!kind.equals("ScaledObject")) {
            throw root.require("kind").error("\"" + kind + "\" is not ScaledObject (ScaledJobs are not simulated)");
        }
        Optional<YamlNode> metadata = root.get("metadata");
        String name = metadata.isPresent() ? optional(metadata.get(), "name").orElse("scaledobject") : "scaledobject";
        YamlNode spec = root.require("spec");
        spec.onlyKeys("scaleTargetRef", "pollingInterval", "cooldownPeriod", "initialCooldownPeriod", "idleReplicaCount",
                "minReplicaCount", "maxReplicaCount", "fallback", "advanced", "triggers");
        int min = intField(spec, "minReplicaCount", 0, 0, MAX_REPLICAS);
        int max = intField(spec, "maxReplicaCount", 100, 1, MAX_REPLICAS);
        if (max < min) {
            throw spec.require("maxReplicaCount").error(max + " is less than minReplicaCount " + min);
        }
        Optional<YamlNode> idle = spec.get("idleReplicaCount");
        if (idle.isPresent() && idle.get().integer(0, MAX_REPLICAS) != 0) {
            // KEDA docs: "the only supported value for this property is 0".
            throw idle.get().error("only 0 is supported (KEDA docs: other values do not work with the HPA)");
        }
        if (idle.isPresent() && min == 0) {
            throw idle.get().error("must be less than minReplicaCount (0)");
        }
        int polling = intField(spec, "pollingInterval", 30, 1, MAX_SECONDS);
        int cooldown = intField(spec, "cooldownPeriod", 300, 0, MAX_SECONDS);
        int initialCooldown = intField(spec, "initialCooldownPeriod", 0, 0, MAX_SECONDS);
        Optional<Fallback> fallback = spec.get("fallback").isPresent()
                ? Optional.of(fallback(spec.require("fallback"))) : Optional.empty();
        ScalingRules up = ScalingRules.defaultScaleUp();
        ScalingRules down = ScalingRules.defaultScaleDown();
        Optional<YamlNode> advanced = spec.get("advanced");
        if (advanced.isPresent()) {
            YamlNode a = advanced.get();
            a.onlyKeys("restoreToOriginalReplicaCount", "horizontalPodAutoscalerConfig", "scalingModifiers");
            if (a.get("scalingModifiers").isPresent()) {
                throw a.require("scalingModifiers").error(
                        "scaling modifiers (a formula over several triggers) are not simulated; simulate each trigger on its own");
            }
            Optional<YamlNode> hpa = a.get("horizontalPodAutoscalerConfig");
            if (hpa.isPresent()) {
                hpa.get().onlyKeys("name", "behavior");
                Optional<YamlNode> behavior = hpa.get().get("behavior");
                if (behavior.isPresent()) {
                    behavior.get().onlyKeys("scaleUp", "scaleDown");
                    if (behavior.get().get("scaleUp").isPresent()) {
                        up = rules(behavior.get().require("scaleUp"), up);
                    }
                    if (behavior.get().get("scaleDown").isPresent()) {
                        down = rules(behavior.get().require("scaleDown"), down);
                    }
                }
            }
        }
        YamlNode triggersNode = spec.require("triggers");
        List<Trigger> triggers = new ArrayList<>();
        for (YamlNode t : triggersNode.items()) {
            triggers.add(trigger(t, triggers.size()));
        }
        if (triggers.isEmpty()) {
            throw triggersNode.error("at least one trigger is needed");
        }
        for (int i = 0; i < triggers.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (triggers.get(i).name().equals(triggers.get(j).name())) {
                    throw triggersNode.items().get(i).error("two triggers are named \"" + triggers.get(i).name() + "\"");
                }
            }
        }
        return new ScaledObjectSpec(name, min, max, polling, cooldown, initialCooldown, idle.isPresent(), fallback, up, down, List.copyOf(triggers));
    }

    private static Fallback fallback(YamlNode f) throws BadInputException {
        f.onlyKeys("failureThreshold", "replicas", "behavior");
        int threshold = f.require("failureThreshold").integer(0, 1_000_000);
        int replicas = f.require("replicas").integer(0, MAX_REPLICAS);
        Fallback.Behavior behavior = Fallback.Behavior.STATIC;
        Optional<YamlNode> b = f.get("behavior");
        if (b.isPresent()) {
            String text = b.get().text();
            if (text.equals("scalingModifiers")) {
                throw b.get().error("\"scalingModifiers\" needs advanced.scalingModifiers, which is not simulated");
            }
            behavior = Arrays.stream(Fallback.Behavior.values()).filter(v -> v.yamlName.equals(text)).findFirst()
                    .orElseThrow(() -> b.get().error("\"" + text + "\" is not one of static, currentReplicas, "
                            + "currentReplicasIfHigher, currentReplicasIfLower"));
        }
        return new Fallback(threshold, replicas, behavior);
    }

    /** One direction's rules; each field left out keeps {@code defaults}' value (Kubernetes merges the same way). */
    private static ScalingRules rules(YamlNode r, ScalingRules defaults) throws BadInputException {
        r.onlyKeys("stabilizationWindowSeconds", "selectPolicy", "policies", "tolerance");
        int window = intField(r, "stabilizationWindowSeconds", defaults.stabilizationWindowSeconds(), 0, 3600);
        ScalingRules.SelectPolicy select = defaults.selectPolicy();
        Optional<YamlNode> s = r.get("selectPolicy");
        if (s.isPresent()) {
            String text = s.get().text();
            select = Arrays.stream(ScalingRules.SelectPolicy.values()).filter(v -> v.name().equals(text)).findFirst()
                    .orElseThrow(() -> s.get().error("\"" + text + "\" is not Max, Min or Disabled"));
        }
        List<ScalingPolicy> policies = defaults.policies();
        Optional<YamlNode> p = r.get("policies");
        if (p.isPresent()) {
            policies = new ArrayList<>();
            for (YamlNode item : p.get().items()) {
                item.onlyKeys("type", "value", "periodSeconds");
                YamlNode typeNode = item.require("type");
                String type = typeNode.text();
                ScalingPolicy.Type t = Arrays.stream(ScalingPolicy.Type.values()).filter(v -> v.name().equals(type)).findFirst()
                        .orElseThrow(() -> typeNode.error("\"" + type + "\" is not Pods or Percent"));
                // Kubernetes validation: value > 0, 0 < periodSeconds <= 1800.
                policies.add(new ScalingPolicy(t, item.require("value").integer(1, Integer.MAX_VALUE),
                        item.require("periodSeconds").integer(1, 1800)));
            }
            if (policies.isEmpty() && select != ScalingRules.SelectPolicy.Disabled) {
                throw p.get().error("at least one policy is needed unless selectPolicy is Disabled");
            }
        }
        double tolerance = defaults.tolerance();
        Optional<YamlNode> tol = r.get("tolerance");
        if (tol.isPresent()) {
            tolerance = quantity(tol.get());
            if (tolerance < 0) {
                throw tol.get().error("must not be negative");
            }
        }
        return new ScalingRules(window, select, List.copyOf(policies), tolerance);
    }

    private static Trigger trigger(YamlNode t, int index) throws BadInputException {
        t.onlyKeys("type", "name", "metadata", "metricType", "useCachedMetrics", "authenticationRef");
        String type = t.require("type").text();
        String name = optional(t, "name").orElse("trigger" + index);
        Trigger.MetricType metricType = Trigger.MetricType.AverageValue;
        Optional<YamlNode> mt = t.get("metricType");
        if (mt.isPresent()) {
            String text = mt.get().text();
            metricType = Arrays.stream(Trigger.MetricType.values()).filter(v -> v.name().equals(text)).findFirst()
                    .orElseThrow(() -> mt.get().error("\"" + text + "\" is not AverageValue or Value"
                            + (text.equals("Utilization") ? " (Utilization is for cpu and memory triggers only)" : "")));
        }
        YamlNode metadata = t.require("metadata");
        String targetKey;
        String activationKey;
        switch (type) {
            case "external":
            case "external-push":
                targetKey = "targetValue";
                activationKey = "activationTargetValue";
                break;
            case "prometheus":
                targetKey = "threshold";
                activationKey = "activationThreshold";
                break;
            default:
                throw t.require("type").error("\"" + type + "\" is not simulated (external, external-push or prometheus)");
        }
        YamlNode targetNode = metadata.require(targetKey);
        double target = quantity(targetNode);
        if (!(target > 0)) {
            throw targetNode.error("must be greater than 0");
        }
        double activation = metadata.get(activationKey).isPresent() ? quantity(metadata.require(activationKey)) : 0;
        return new Trigger(name, type, metricType, target, activation, type.equals("external-push"));
    }

    private static double quantity(YamlNode n) throws BadInputException {
        try {
            double v = KubernetesQuantity.parse(n.text());
            if (!Double.isFinite(v)) {
                throw n.error("\"" + n.text() + "\" is not a finite number");
            }
            return v;
        } catch (NumberFormatException e) {
            throw n.error(e.getMessage());
        }
    }

    private static int intField(YamlNode parent, String key, int defaultValue, int min, int max) throws BadInputException {
        Optional<YamlNode> n = parent.get(key);
        return n.isPresent() ? n.get().integer(min, max) : defaultValue;
    }

    private static Optional<String> optional(YamlNode parent, String key) throws BadInputException {
        Optional<YamlNode> n = parent.get(key);
        return n.isPresent() ? Optional.of(n.get().text()) : Optional.empty();
    }
}
