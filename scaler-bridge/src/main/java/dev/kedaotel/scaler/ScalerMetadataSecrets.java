package dev.kedaotel.scaler;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one owner of "is this trigger metadata key a secret", and the two secret-free views of a
 * metadata map the scaler keeps: {@link #redacted} for anything shown (the status page, logs) and
 * {@link #withoutSecrets} for anything that identifies (cache keys, "has this ScaledObject's metadata
 * changed").
 *
 * <p>Why this exists: KEDA forwards a trigger's <i>whole</i> metadata in every RPC, and kedify's TLS
 * example puts PEM private keys ({@code tlsClientKey}) and certificates ({@code caCert},
 * {@code tlsClientCert}) inline there — they are for KEDA's own client, the scaler never reads them.
 * So the service never holds a secret value beyond the RPC that carried it: states and caches keep the
 * secret-free maps only, which makes it impossible for a later log line, metric label or page to print
 * one by accident.
 *
 * <p>Secret keys: {@code caCert}, {@code tlsClientCert}, {@code tlsClientKey}, and any key whose
 * lower-cased name contains {@code password}, {@code token}, {@code secret} or {@code key} — except
 * the keys the scaler itself reads or KEDA documents for this trigger ({@link #QUERY_KEYS}). The rule
 * is deliberately broad ({@code apiKey}, {@code bearerToken}, {@code myPassword}): showing a harmless
 * key as {@value #REDACTED} costs nothing, printing a credential cannot be undone.
 *
 * <p>Why identity ignores secrets entirely (not even their presence counts): a secret never changes what
 * the scaler computes, so two requests that differ only in {@code tlsClientKey} are the same
 * ScaledObject with the same standing query. Were secrets part of identity, a rotated client
 * certificate would needlessly replace the state (dropping its cached answer), and the cache key would
 * itself be a copy of the secret kept in memory.
 *
 * <p>Stateless and thread-safe. {@link #sameIgnoringSecrets} allocates nothing: it runs on the hot
 * GetMetrics/IsActive path.
 */
public final class ScalerMetadataSecrets {
    /** What a secret value is shown as. */
    public static final String REDACTED = "<redacted>";

    /** Keys that are never secret although their names may match a secret pattern. */
    public static final Set<String> QUERY_KEYS = Set.of(ScalerMetadata.METRIC_QUERY, ScalerMetadata.TARGET_VALUE,
            ScalerMetadata.OPERATION_OVER_TIME, ScalerMetadata.CLAMP_MIN, ScalerMetadata.CLAMP_MAX,
            ScalerMetadata.ACTIVATION_TARGET_VALUE, "scalerAddress", "enableTLS", "unsafeSsl");

    private static final Set<String> NAMED_SECRETS = Set.of("caCert", "tlsClientCert", "tlsClientKey");
    private static final String[] SECRET_WORDS = {"password", "token", "secret", "key"};

    private ScalerMetadataSecrets() {
    }

    /** Whether {@code key}'s value must never be stored, logged or shown. */
    public static boolean isSecret(String key) {
        if (key == null || QUERY_KEYS.contains(key)) {
            return false;
        }
        if (NAMED_SECRETS.contains(key)) {
            return true;
        }
        for (String word : SECRET_WORDS) {
            if (containsIgnoreCase(key, word)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A copy for display: every key, secret values replaced by {@value #REDACTED}, sorted by key (a stable
     * order for pages and logs). Unmodifiable.
     */
    public static Map<String, String> redacted(Map<String, String> metadata) {
        TreeMap<String, String> out = new TreeMap<>();
        if (metadata != null) {
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                out.put(e.getKey(), isSecret(e.getKey()) ? REDACTED : e.getValue());
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** A copy for identity: the non-secret entries only (immutable, as {@link Map#copyOf}). */
    public static Map<String, String> withoutSecrets(Map<String, String> metadata) {
        if (metadata == null) {
            return Map.of();
        }
        boolean any = false;
        for (String k : metadata.keySet()) {
            if (isSecret(k)) {
                any = true;
                break;
            }
        }
        if (!any) {
            return Map.copyOf(metadata);
        }
        TreeMap<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (!isSecret(e.getKey())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return Map.copyOf(out);
    }

    /**
     * Whether {@code a} and {@code b} have the same non-secret entries; secret entries (on either side,
     * redacted or not) are ignored. Allocation-free.
     */
    public static boolean sameIgnoringSecrets(Map<String, String> a, Map<String, String> b) {
        return coveredBy(a, b) && coveredBy(b, a);
    }

    /** Whether every non-secret entry of {@code a} is in {@code b} with the same value. */
    private static boolean coveredBy(Map<String, String> a, Map<String, String> b) {
        for (Map.Entry<String, String> e : a.entrySet()) {
            if (!isSecret(e.getKey()) && !e.getValue().equals(b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsIgnoreCase(String s, String lowerWord) {
        int n = lowerWord.length();
        for (int i = 0; i + n <= s.length(); i++) {
            if (s.regionMatches(true, i, lowerWord, 0, n)) {
                return true;
            }
        }
        return false;
    }
}
