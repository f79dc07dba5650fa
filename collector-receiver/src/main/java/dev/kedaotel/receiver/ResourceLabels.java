package dev.kedaotel.receiver;

import dev.kedaotel.model.OtlpNames;
import dev.kedaotel.tsdb.AppendResult;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The labels one {@code ResourceMetrics} contributes to each of its series: the configured promoted
 * resource attributes under sanitised names, Prometheus' {@code job} ({@code service.namespace/service.name}
 * or {@code service.name}) and {@code instance} ({@code service.instance.id}) when enabled, and kedify's
 * fallback of resource {@code pod} to {@code host_name} when there is no {@code host.name}. Computed once
 * per resource; keys are matched on the raw bytes, so only matching attributes are interned.
 * Not thread-safe; one per ingest worker.
 */
final class ResourceLabels {
    private static final byte[] SERVICE_NAME = utf8("service.name");
    private static final byte[] SERVICE_NAMESPACE = utf8("service.namespace");
    private static final byte[] SERVICE_INSTANCE_ID = utf8("service.instance.id");
    private static final byte[] HOST_NAME = utf8("host.name");
    private static final byte[] POD = utf8("pod");

    private final IngestSink sink;
    private final AttributeValues values;
    private final boolean promoteJobAndInstance;
    private final byte[][] promotedKeys;
    private final int[] promotedNames;
    private final int[] promotedValues;
    private final int jobSym;
    private final int instanceSym;
    private final int hostNameSym;
    private final LongIntMap jobCache = new LongIntMap(256);
    private final KeyValueField kv = new KeyValueField();

    private int serviceName;
    private int serviceNamespace;
    private int serviceInstanceId;
    private boolean hasHostName;
    private int pod;

    /** {@code AppendResult.LABEL_VALUE_TOO_LONG} when a promoted value was too long to intern, else 0. */
    private int rejection;
    private int[] pairs = new int[32];
    private int pairCount;

    ResourceLabels(ReceiverConfig config, IngestSink sink, AttributeValues values) {
        this.sink = sink;
        this.values = values;
        this.promoteJobAndInstance = config.promoteJobAndInstance();
        List<String> keys = config.promotedResourceAttributes();
        promotedKeys = new byte[keys.size()][];
        promotedNames = new int[keys.size()];
        promotedValues = new int[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            promotedKeys[i] = utf8(keys.get(i));
            // Named as attribute keys are under OTLP_TRANSLATION_STRATEGY (kedify's default: PrometheusNames.labelName).
            promotedNames[i] = sink.internPermanent(OtlpNames.labelName(config.translationStrategy(), keys.get(i)));
        }
        jobSym = sink.internPermanent("job");
        instanceSym = sink.internPermanent("instance");
        hostNameSym = sink.internPermanent("host_name");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Forgets the cached job symbols (they may have been freed). */
    void forgetSymbols() {
        jobCache.clear();
    }

    void begin() {
        java.util.Arrays.fill(promotedValues, -1);
        serviceName = -1;
        serviceNamespace = -1;
        serviceInstanceId = -1;
        hasHostName = false;
        pod = -1;
        pairCount = 0;
        rejection = 0;
    }

    /** 0, or the rejection code of every point of this resource (a promoted value over the length limit). */
    int rejection() {
        return rejection;
    }

    /** Reads one {@code Resource} message filling the cursor's current limit. */
    void readResource(ProtoCursor c) throws MalformedOtlpException {
        while (c.hasMore()) {
            int tag = c.readTag();
            if (tag != OtlpSchema.Resource.ATTRIBUTES_TAG) {
                c.skip(OtlpSchema.wireType(tag));
                continue;
            }
            kv.read(c);
            match(c.buf, kv.keyOffset, kv.keyLength);
        }
    }

    private void match(byte[] buf, int keyOff, int keyLen) throws MalformedOtlpException {
        int value = -2; // not yet resolved
        for (int i = 0; i < promotedKeys.length; i++) {
            if (equals(buf, keyOff, keyLen, promotedKeys[i])) {
                value = resolve(buf, value);
                promotedValues[i] = value;
            }
        }
        if (equals(buf, keyOff, keyLen, SERVICE_NAME)) {
            serviceName = resolve(buf, value);
        } else if (equals(buf, keyOff, keyLen, SERVICE_NAMESPACE)) {
            serviceNamespace = resolve(buf, value);
        } else if (equals(buf, keyOff, keyLen, SERVICE_INSTANCE_ID)) {
            serviceInstanceId = resolve(buf, value);
        } else if (equals(buf, keyOff, keyLen, HOST_NAME)) {
            hasHostName = true;
        } else if (equals(buf, keyOff, keyLen, POD)) {
            pod = resolve(buf, value);
        }
    }

    /**
     * The symbol of the current attribute's value, resolved at most once ({@code known} -2: not yet). A
     * value over the length limit is not interned: it rejects every point of the resource and stands in
     * as the empty string.
     */
    private int resolve(byte[] buf, int known) throws MalformedOtlpException {
        if (known != -2) {
            return known;
        }
        int sym = kv.valueSymbol(buf, values);
        if (sym == AttributeValues.TOO_LONG) {
            rejection = AppendResult.LABEL_VALUE_TOO_LONG;
            return values.emptySymbol();
        }
        return sym;
    }

    private static boolean equals(byte[] buf, int off, int len, byte[] key) {
        return len == key.length && java.util.Arrays.equals(buf, off, off + len, key, 0, key.length);
    }

    /** Builds the pair list after all Resource messages of a ResourceMetrics were read. */
    void finish() {
        for (int i = 0; i < promotedKeys.length; i++) {
            if (promotedValues[i] >= 0) {
                put(promotedNames[i], promotedValues[i]);
            }
        }
        if (!hasHostName && pod >= 0) {
            put(hostNameSym, pod);
        }
        if (promoteJobAndInstance) {
            if (serviceName >= 0) {
                put(jobSym, serviceNamespace >= 0 ? jobSymbol() : serviceName);
            }
            if (serviceInstanceId >= 0) {
                put(instanceSym, serviceInstanceId);
            }
        }
    }

    private int jobSymbol() {
        long key = (long) serviceNamespace << 32 | (serviceName & 0xffffffffL);
        int sym = jobCache.get(key);
        if (sym == LongIntMap.MISSING) {
            String ns = sink.symbol(serviceNamespace);
            String name = sink.symbol(serviceName);
            sym = ns.isEmpty() ? serviceName : sink.intern(ns + "/" + name);
            jobCache.put(key, sym);
        }
        return sym;
    }

    private void put(int name, int value) {
        if (pairCount + 2 > pairs.length) {
            pairs = java.util.Arrays.copyOf(pairs, pairs.length * 2);
        }
        pairs[pairCount++] = name;
        pairs[pairCount++] = value;
    }

    /** Number of ints of the pair list (name, value, name, value…), for the series cache's key. */
    int pairInts() {
        return pairCount;
    }

    int pairInt(int i) {
        return pairs[i];
    }

    void addTo(IngestSink target) {
        for (int i = 0; i < pairCount; i += 2) {
            target.addLabel(pairs[i], pairs[i + 1]);
        }
    }
}
