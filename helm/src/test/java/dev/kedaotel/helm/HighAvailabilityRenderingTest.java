package dev.kedaotel.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Replicas, rolling updates and persistence (issue 14): the example's HA values render a StatefulSet
 * whose pods collectors can address one by one, a PodDisruptionBudget only where it means something,
 * anti-affinity, the headless Service for OTLP (not-ready pods included) next to the ready-only Service
 * KEDA uses, and the data volume with its setting.
 */
class HighAvailabilityRenderingTest {
    private static final Path HA_VALUES = Chart.examplesDir().resolve("ha-replicas/scaler-values.yaml");

    private static Manifests ha() {
        return Chart.asDocumented().valuesFile(HA_VALUES).render();
    }

    private static Node pod(Node workload) {
        return workload.at("spec.template.spec");
    }

    @Test
    void haValuesRenderAStatefulSetUnderTheHeadlessServiceUpdatedOnePodAtATime() {
        Manifests m = ha();
        assertFalse(m.has("Deployment"));
        Node sts = m.get("StatefulSet", "keda-otel-scaler");
        assertEquals(2, sts.at("spec.replicas").integer());
        assertEquals("keda-otel-scaler-headless", sts.str("spec.serviceName"));
        assertEquals("Parallel", sts.str("spec.podManagementPolicy"));
        assertEquals("RollingUpdate", sts.str("spec.updateStrategy.type"));
        assertFalse(sts.has("spec.strategy"), "a StatefulSet has no Deployment strategy");
        assertEquals(sts.at("spec.selector.matchLabels").map(), m.get("Service", "keda-otel-scaler-headless").at("spec.selector").map());
    }

    @Test
    void headlessServiceListsEveryPodForOtlpWhileTheServiceKedaUsesStaysReadyOnly() {
        Manifests m = ha();
        Node headless = m.get("Service", "keda-otel-scaler-headless");
        assertEquals("None", headless.str("spec.clusterIP"));
        assertEquals("true", headless.str("spec.publishNotReadyAddresses"), "warming (not Ready) replicas must receive the stream");
        Map<String, Integer> ports = new java.util.LinkedHashMap<>();
        for (Node p : headless.list("spec.ports")) {
            ports.put(p.str("name"), p.at("port").integer());
            assertEquals(p.str("name"), p.str("targetPort"));
        }
        assertEquals(Map.of("otlp-grpc", 4317, "http", 9090), ports, "OTLP/gRPC and OTLP/HTTP only; KEDA and scrapes use the Service");

        Node svc = m.get("Service", "keda-otel-scaler");
        assertFalse(svc.has("spec.publishNotReadyAddresses"), "KEDA's Service routes to Ready replicas only");
        assertFalse(svc.has("spec.clusterIP"));
        assertEquals(headless.at("spec.selector").map(), svc.at("spec.selector").map());
    }

    @Test
    void pdbKeepsOneReplicaAndAntiAffinityAndZoneSpreadSeparateThem() {
        Manifests m = ha();
        Node sts = m.one("StatefulSet");
        Map<String, Object> selector = sts.at("spec.selector.matchLabels").map();

        Node pdb = m.get("PodDisruptionBudget", "keda-otel-scaler");
        assertEquals("policy/v1", pdb.str("apiVersion"));
        assertEquals(1, pdb.at("spec.minAvailable").integer());
        assertFalse(pdb.has("spec.maxUnavailable"));
        assertEquals(selector, pdb.at("spec.selector.matchLabels").map());

        Node term = pod(sts).list("affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution").get(0);
        assertEquals(100, term.at("weight").integer());
        assertEquals("kubernetes.io/hostname", term.str("podAffinityTerm.topologyKey"));
        assertEquals(selector, term.at("podAffinityTerm.labelSelector.matchLabels").map());
        assertFalse(pod(sts).has("affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution"), "soft by default");

        Node spread = pod(sts).list("topologySpreadConstraints").get(0);
        assertEquals("topology.kubernetes.io/zone", spread.str("topologyKey"));
        assertEquals("ScheduleAnyway", spread.str("whenUnsatisfiable"));
        assertEquals(1, spread.at("maxSkew").integer());
        assertEquals(selector, spread.at("labelSelector.matchLabels").map());
    }

    @Test
    void persistenceMountsAnEmptyDirAndPointsTheServerAtIt() {
        Manifests m = ha();
        Node sts = m.one("StatefulSet");
        Map<String, String> env = DefaultRenderingTest.env(m);
        assertEquals("/var/lib/keda-otel-scaler", env.get("METRIC_STORE_DATA_DIR"));
        assertEquals("120", env.get("METRIC_STORE_WARM_UP_SECONDS"));
        assertEquals("/var/lib/keda-otel-scaler", DefaultRenderingTest.container(m).named("volumeMounts", "data").str("mountPath"));
        Node data = pod(sts).named("volumes", "data");
        assertEquals("2Gi", data.str("emptyDir.sizeLimit"));
        assertFalse(data.has("emptyDir.medium"), "the node's disk unless medium is set");
        assertFalse(sts.has("spec.volumeClaimTemplates"));
    }

    @Test
    void aClaimPerReplicaWithTheVolumeClaimTemplate() {
        Manifests m = Chart.asDocumented().valuesFile(HA_VALUES).set("persistence.volumeClaimTemplate.enabled", true)
                .set("persistence.volumeClaimTemplate.storageClassName", "fast").set("persistence.volumeClaimTemplate.size", "5Gi")
                .render();
        Node sts = m.one("StatefulSet");
        Node claim = sts.list("spec.volumeClaimTemplates").get(0);
        assertEquals("data", claim.str("metadata.name"));
        assertEquals("fast", claim.str("spec.storageClassName"));
        assertEquals("5Gi", claim.str("spec.resources.requests.storage"));
        assertEquals(List.of("ReadWriteOnce"), claim.at("spec.accessModes").raw());
        assertFalse(pod(sts).list("volumes").stream().anyMatch(v -> "data".equals(v.str("name"))), "the claim template provides the volume");
        assertEquals("/var/lib/keda-otel-scaler", DefaultRenderingTest.container(m).named("volumeMounts", "data").str("mountPath"));
    }

    @Test
    void deploymentWithTwoReplicasRollsWithoutLosingAReadyPodAndCanRequireSeparateNodes() {
        Manifests m = Chart.asDocumented().set("replicaCount", 2).set("deploymentStrategy", "RollingUpdate")
                .set("highAvailability.podAntiAffinity", "hard").render();
        Node deploy = m.one("Deployment");
        assertEquals("RollingUpdate", deploy.str("spec.strategy.type"));
        assertEquals(0, deploy.at("spec.strategy.rollingUpdate.maxUnavailable").integer());
        assertEquals(1, deploy.at("spec.strategy.rollingUpdate.maxSurge").integer());
        Node term = pod(deploy).list("affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution").get(0);
        assertEquals("kubernetes.io/hostname", term.str("topologyKey"));
        assertTrue(m.has("PodDisruptionBudget"));
        assertEquals("None", m.get("Service", "keda-otel-scaler-headless").str("spec.clusterIP"));
        assertFalse(pod(deploy).has("topologySpreadConstraints"), "zone spread is opt-in");
        assertFalse(m.get("Service", "keda-otel-scaler").has("spec.publishNotReadyAddresses"),
                "with replicas KEDA's Service lists caught-up (Ready) replicas only");
    }

    @Test
    void ownAffinityWinsAndNoneTurnsAntiAffinityOff() {
        Node own = Chart.asDocumented().set("replicaCount", 2)
                .set("affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey", "topology.kubernetes.io/zone")
                .set("affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchLabels.team", "ml")
                .render().one("Deployment");
        List<Node> terms = pod(own).list("affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution");
        assertEquals(1, terms.size());
        assertEquals("topology.kubernetes.io/zone", terms.get(0).str("topologyKey"));
        assertFalse(pod(own).has("affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution"));

        Node keptNodeAffinity = Chart.asDocumented().set("replicaCount", 2)
                .set("affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key", "pool")
                .set("affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator", "Exists")
                .render().one("Deployment");
        assertTrue(pod(keptNodeAffinity).has("affinity.nodeAffinity"), "the user's node affinity stays");
        assertTrue(pod(keptNodeAffinity).has("affinity.podAntiAffinity"), "and the replicas' anti-affinity is added");

        Node none = Chart.asDocumented().set("replicaCount", 2).set("highAvailability.podAntiAffinity", "none").render().one("Deployment");
        assertFalse(pod(none).has("affinity"));
    }

    /** One replica: a PDB would block every drain or protect nothing, so there is none; no anti-affinity or headless Service. */
    @Test
    void oneReplicaGetsNoPdbAntiAffinityOrHeadlessService() {
        Manifests m = Chart.asDocumented().set("podDisruptionBudget.enabled", true).set("highAvailability.zoneSpread", true).render();
        assertFalse(m.has("PodDisruptionBudget"));
        assertFalse(pod(m.one("Deployment")).has("affinity"));
        assertFalse(pod(m.one("Deployment")).has("topologySpreadConstraints"));
        assertEquals(1, m.ofKind("Service").size());

        assertEquals("None", Chart.asDocumented().set("headlessService.enabled", true).render()
                .get("Service", "keda-otel-scaler-headless").str("spec.clusterIP"), "on request also for one replica");
    }

    @Test
    void emptyDirMediumAndAnExistingClaimForOneReplicaThatIsRecreated() {
        Node plain = Chart.asDocumented().set("persistence.enabled", true).render().one("Deployment");
        assertEquals(Map.of(), pod(plain).named("volumes", "data").at("emptyDir").map(),
                "an empty emptyDir is {}, not null (which the API server refuses as a volume without a source)");
        Node memory = Chart.asDocumented().set("persistence.enabled", true).set("persistence.emptyDir.medium", "Memory")
                .render().one("Deployment");
        assertEquals("Memory", pod(memory).named("volumes", "data").str("emptyDir.medium"));
        assertFalse(pod(memory).named("volumes", "data").has("emptyDir.sizeLimit"));

        Manifests claimed = Chart.asDocumented().set("persistence.enabled", true).set("persistence.existingClaim", "scaler-data")
                .set("deploymentStrategy", "Recreate").render();
        Node claim = claimed.one("Deployment");
        assertEquals("scaler-data", pod(claim).named("volumes", "data").str("persistentVolumeClaim.claimName"));
        assertEquals("Recreate", claim.str("spec.strategy.type"));
        assertFalse(claim.has("spec.strategy.rollingUpdate"));
        assertEquals("/var/lib/keda-otel-scaler", DefaultRenderingTest.env(claimed).get("METRIC_STORE_DATA_DIR"));
    }

    @Test
    void warmUpZeroIsRenderedAndUnsetLeavesTheServerDefault() {
        assertEquals("0", DefaultRenderingTest.env(Chart.asDocumented().set("settings.metricStore.warmUpSeconds", 0).render())
                .get("METRIC_STORE_WARM_UP_SECONDS"));
        Map<String, String> defaults = DefaultRenderingTest.env(Chart.asDocumented().render());
        assertFalse(defaults.containsKey("METRIC_STORE_WARM_UP_SECONDS"));
        assertFalse(defaults.containsKey("METRIC_STORE_DATA_DIR"));
    }

    /** Values that cannot work together stop the install with the reason and the fix. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "replicaCount=2,persistence.existingClaim=d,workloadKind=StatefulSet | every replica would mount the same claim",
            "persistence.existingClaim=d,deploymentStrategy=RollingUpdate | Set deploymentStrategy=Recreate",
            "persistence.volumeClaimTemplate.enabled=true | needs workloadKind=StatefulSet",
            "workloadKind=StatefulSet,persistence.existingClaim=d,persistence.volumeClaimTemplate.enabled=true | existingClaim or volumeClaimTemplate.enabled, not both",
            "highAvailability.podAntiAffinity=sometimes | podAntiAffinity",
            "workloadKind=DaemonSet | workloadKind",
    })
    void contradictoryReplicaValuesAreRefused(String sets, String expected) {
        Chart chart = Chart.asDocumented().set("persistence.enabled", true);
        for (String kv : sets.split(",")) {
            String value = kv.substring(kv.indexOf('=') + 1);
            Object typed = value.equals("true") ? Boolean.TRUE : value.matches("\\d+") ? (Object) Integer.valueOf(value) : value;
            chart.set(kv.substring(0, kv.indexOf('=')), typed);
        }
        String error = chart.renderError();
        assertTrue(error.contains(expected), error);
    }

    /** Collectors verify the name they dial: with TLS from cert-manager, each replica's headless name is covered. */
    @Test
    void certManagerCertificateCoversEveryReplicasHeadlessName() {
        Manifests m = Chart.asDocumented().valuesFile(HA_VALUES).set("certManager.enabled", true)
                .set("certManager.issuerRef.name", "ca").render();
        List<String> names = m.one("Certificate").list("spec.dnsNames").stream().map(Node::str).collect(java.util.stream.Collectors.toList());
        assertTrue(names.containsAll(List.of("keda-otel-scaler.keda.svc", "*.keda-otel-scaler-headless.keda.svc",
                "*.keda-otel-scaler-headless.keda.svc.cluster.local")), names.toString());

        List<Node> single = Chart.asDocumented().set("certManager.enabled", true).set("certManager.issuerRef.name", "ca")
                .render().one("Certificate").list("spec.dnsNames");
        assertEquals(4, single.size(), "one replica, no headless Service: the Service's four names only");
    }

    @Test
    void notesListEveryReplicasOtlpAddressForAStatefulSetAndWarnForADeployment() {
        String notes = Chart.asDocumented().valuesFile(HA_VALUES).renderNotes();
        assertTrue(notes.contains("keda-otel-scaler-0.keda-otel-scaler-headless.keda.svc:4317"), notes);
        assertTrue(notes.contains("keda-otel-scaler-1.keda-otel-scaler-headless.keda.svc:4317"), notes);
        assertFalse(notes.contains("keda-otel-scaler-2."), notes);
        assertTrue(notes.contains("scalerAddress: keda-otel-scaler.keda.svc:4318"), notes);
        assertTrue(notes.contains("emptyDir, which survives container restarts"), notes);
        assertFalse(notes.contains("WARNING"), notes);

        String deployment = Chart.asDocumented().set("replicaCount", 3).renderNotes();
        assertTrue(deployment.contains("WARNING: replicaCount=3 with a Deployment") && deployment.contains("workloadKind=StatefulSet"), deployment);
    }
}
