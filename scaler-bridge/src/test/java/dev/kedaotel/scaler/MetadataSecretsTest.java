package dev.kedaotel.scaler;

import dev.kedaotel.scaler.externalscaler.GetMetricsRequest;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.kedaotel.scaler.ScalerTestEnv.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Secret trigger metadata (KEDA forwards kedify's inline TLS keys in every RPC) is never held, shown
 * or part of a ScaledObject's identity.
 */
class MetadataSecretsTest {
    private static final String PEM_KEY = "-----BEGIN PRIVATE KEY-----\nDUMMY-SECRET-KEY-material\n-----END PRIVATE KEY-----";

    @Test
    void theContractsKeysAreSecretAndTheQueryKeysAreNot() {
        for (String k : List.of("caCert", "tlsClientCert", "tlsClientKey", "myPassword", "PASSWORD", "apiToken",
                "bearerToken", "clientSecret", "apiKey", "key", "sshKeyFile", "SecretName")) {
            assertTrue(ScalerMetadataSecrets.isSecret(k), k);
        }
        for (String k : List.of("metricQuery", "targetValue", "operationOverTime", "clampMin", "clampMax",
                "activationTargetValue", "scalerAddress", "enableTLS", "unsafeSsl", "namespace", "ca", "cert")) {
            assertFalse(ScalerMetadataSecrets.isSecret(k), k);
        }
    }

    @Test
    void redactedKeepsEveryKeyAndHidesSecretValues() {
        Map<String, String> md = new LinkedHashMap<>();
        md.put("metricQuery", "sum(x)");
        md.put("tlsClientKey", PEM_KEY);
        md.put("apiToken", "t0k3n");
        Map<String, String> shown = ScalerMetadataSecrets.redacted(md);
        assertEquals(Map.of("metricQuery", "sum(x)", "tlsClientKey", "<redacted>", "apiToken", "<redacted>"), shown);
        assertEquals(List.of("apiToken", "metricQuery", "tlsClientKey"), List.copyOf(shown.keySet()), "sorted");
        assertEquals(Map.of("metricQuery", "sum(x)"), ScalerMetadataSecrets.withoutSecrets(md));
        assertTrue(ScalerMetadataSecrets.sameIgnoringSecrets(shown, Map.of("metricQuery", "sum(x)", "caCert", "other")));
        assertFalse(ScalerMetadataSecrets.sameIgnoringSecrets(shown, Map.of("metricQuery", "sum(y)")));
        assertFalse(ScalerMetadataSecrets.sameIgnoringSecrets(shown, Map.of("metricQuery", "sum(x)", "clampMax", "3")));
    }

    @Test
    void requestsDifferingOnlyInSecretsShareOneStateAndStandingQuery() throws Exception {
        try (ScalerTestEnv env = ScalerTestEnv.start()) {
            env.put(1_000, "requests", 3, "pod", "a");
            ScaledObjectRef first = ref("ns", "so", "metricQuery", "sum(requests)", "targetValue", "1",
                    "scalerAddress", "scaler:4318", "tlsClientKey", PEM_KEY, "caCert", "CA-ONE", "myPassword", "hunter2");
            ScaledObjectRef rotated = ref("ns", "so", "metricQuery", "sum(requests)", "targetValue", "1",
                    "scalerAddress", "scaler:4318", "tlsClientKey", "ROTATED-KEY", "apiToken", "new-token");
            assertEquals(3.0, value(env, first));
            ScaledObjectSnapshot before = env.service.scaledObjects().get(0);
            assertEquals(3.0, value(env, rotated));

            assertEquals(1, env.service.scaledObjectCount());
            assertEquals(1, env.queries.snapshot().size(), "one standing query");
            assertEquals(1, env.queries.snapshot().get(0).users(), "not re-acquired: the metadata did not change");
            ScaledObjectSnapshot after = env.service.scaledObjects().get(0);
            assertSame(before.metadata(), after.metadata(), "the same state, not a replacement");
            assertEquals("<redacted>", after.metadata().get("tlsClientKey"));
            assertEquals("<redacted>", after.metadata().get("caCert"));
            assertEquals("<redacted>", after.metadata().get("myPassword"));
            assertEquals("scaler:4318", after.metadata().get("scalerAddress"));
            String everything = env.service.scaledObjects().toString();
            for (String secret : List.of("DUMMY-SECRET", "CA-ONE", "hunter2", "ROTATED-KEY", "new-token")) {
                assertFalse(everything.contains(secret), secret);
            }

            // A non-secret change still replaces the state.
            ScaledObjectRef edited = ref("ns", "so", "metricQuery", "sum(requests)", "targetValue", "1", "clampMax", "2");
            assertEquals(2.0, value(env, edited));
            assertEquals("2", env.service.scaledObjects().get(0).metadata().get("clampMax"));
        }
    }

    private static double value(ScalerTestEnv env, ScaledObjectRef ref) {
        return env.blocking().getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(ref).setMetricName("m").build())
                .getMetricValues(0).getMetricValueFloat();
    }
}
