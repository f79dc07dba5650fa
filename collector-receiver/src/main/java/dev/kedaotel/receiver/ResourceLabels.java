package dev.kedaotel.receiver;

import dev.kedaotel.model.OtlpNames;
import dev.kedaotel.tsdb.AppendResult;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The labels one {@code ResourceMetrics} contributes to each of its series: the configured promoted
 * resource attributes under sanitised names, or with promote-all every attribute not on the ignore list
 * (Prometheus' {@code promote_all_resource_attributes} / {@code ignore_resource_attributes}), Prometheus'
 * {@code job} ({@code service.namespace/service.name} or {@code service.name}) and {@code instance}
 * ({@code service.instance.id}) when enabled, and kedify's fallback of resource {@code pod} to
 * {@code host_name} when there is no {@code host.name}. Computed once per resource; keys are matched on
 * the raw bytes, so only matching attributes are interned. Label names come from {@link NameSymbols}, the
 * one place for attribute-key naming, so resource and point attributes are always named alike.
 *
 * <p>With promote-all the number of labels depends on the resource: when its promoted attributes (counted
 * on the wire, plus {@code __name__}, {@code job}, {@code instance}, {@code host_name}) exceed the sink's
 * label limit, or a key is longer than the name limit, every point of the resource is rejected
 * ({@link #rejection()}) before anything is interned. Two keys that sanitise to the same name (e.g.
 * {@code a.b} and {@code a_b}): the value of the key that sorts first wins, as in Prometheus.
 *
 * <p>The resource's attributes are also noted ({@link #attributes()}) for {@link TargetInfo}.
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
    private final NameSymbols names;
    private final boolean promoteJobAndInstance;
    private final boolean promoteAll;
    private final byte[][] ignoredKeys;
    private final int maxLabels;
    private final int maxNameBytes;
    private final ResourceAttributes attributes = new ResourceAttributes();
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

    /**
     * 0, or the {@code AppendResult} rejecting every point of the resource: a promoted value too long to
     * intern, or with promote-all too many promoted attributes or a key too long.
     */
    private int rejection;
    private int[] pairs = new int[32];
    private int pairCount;
    /** For each promote-all pair (by pair index / 2): the attribute it came from, to settle name collisions. */
    private int[] pairSource = new int[16];

    ResourceLabels(ReceiverConfig config, IngestSink sink, AttributeValues values, NameSymbols names) {
        this.sink = sink;
        this.values = values;
        this.names = names;
        this.promoteJobAndInstance = config.promoteJobAndInstance();
        this.promoteAll = config.promoteAllResourceAttributes();
        this.maxLabels = sink.maxLabelsPerSeries();
        this.maxNameBytes = sink.maxLabelNameLength();
        List<String> ignored = config.ignoredResourceAttributes();
        ignoredKeys = new byte[ignored.size()][];
        for (int i = 0; i < ignored.size(); i++) {
            ignoredKeys[i] = utf8(ignored.get(i));
        }
        List<String> keys = promoteAll ? List.of() : config.promotedResourceAttributes();
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
        attributes.clear();
    }

    /** The attributes of the resource read since {@link #begin()}. */
    ResourceAttributes attributes() {
        return attributes;
    }

    /** The symbol of Prometheus' {@code job} value of the resource, or -1 without {@code service.name}. */
    int job() {
        if (serviceName < 0) {
            return -1;
        }
        return serviceNamespace >= 0 ? jobSymbol() : serviceName;
    }

    /** The symbol of Prometheus' {@code instance} value ({@code service.instance.id}), or -1. */
    int instance() {
        return serviceInstanceId;
    }

    /** 0, or the rejection code of every point of this resource (see the field). */
    int rejection() {
        return rejection;
    }

    /** Reads one {@code Resource} message filling the cursor's current limit. */
    void readResource(ProtoCursor c) throws MalformedOtlpException {
        while (c.hasMore()) {
            int start = c.pos;
            int tag = c.readTag();
            if (tag != OtlpSchema.Resource.ATTRIBUTES_TAG) {
                c.skip(OtlpSchema.wireType(tag));
                continue;
            }
            kv.read(c);
            boolean identifying = match(c.buf, kv.keyOffset, kv.keyLength);
            attributes.add(start, c.pos, kv, identifying);
        }
    }

    /** Resolves the attribute if it is one this class needs; true for the identifying {@code service.*} ones. */
    private boolean match(byte[] buf, int keyOff, int keyLen) throws MalformedOtlpException {
        int value = -2; // not yet resolved
        for (int i = 0; i < promotedKeys.length; i++) {
            if (equals(buf, keyOff, keyLen, promotedKeys[i])) {
                value = resolve(buf, value);
                promotedValues[i] = value;
            }
        }
        if (equals(buf, keyOff, keyLen, SERVICE_NAME)) {
            serviceName = resolve(buf, value);
            return true;
        } else if (equals(buf, keyOff, keyLen, SERVICE_NAMESPACE)) {
            serviceNamespace = resolve(buf, value);
            return true;
        } else if (equals(buf, keyOff, keyLen, SERVICE_INSTANCE_ID)) {
            serviceInstanceId = resolve(buf, value);
            return true;
        } else if (equals(buf, keyOff, keyLen, HOST_NAME)) {
            hasHostName = true;
        } else if (equals(buf, keyOff, keyLen, POD)) {
            pod = resolve(buf, value);
        }
        return false;
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

    /** Builds the pair list after all Resource messages of a ResourceMetrics were read from {@code buf}. */
    void finish(byte[] buf) throws MalformedOtlpException {
        if (promoteAll) {
            promoteAll(buf);
        }
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

    /**
     * Promote-all: every attribute with a non-empty key not on the ignore list, checked against the label
     * limits on the wire first, so a resource that cannot make a series interns nothing.
     */
    private void promoteAll(byte[] buf) throws MalformedOtlpException {
        int n = attributes.count();
        int candidates = 0;
        for (int i = 0; i < n; i++) {
            if (promotes(buf, i)) {
                if (attributes.keyLength(i) > maxNameBytes) {
                    rejection = AppendResult.LABEL_NAME_TOO_LONG;
                    return;
                }
                candidates++;
            }
        }
        int fixed = 1 // __name__
                + (promoteJobAndInstance && serviceName >= 0 ? 1 : 0)
                + (promoteJobAndInstance && serviceInstanceId >= 0 ? 1 : 0)
                + (!hasHostName && pod >= 0 ? 1 : 0);
        if (candidates + fixed > maxLabels) {
            rejection = AppendResult.TOO_MANY_LABELS;
            return;
        }
        for (int i = 0; i < n; i++) {
            if (!promotes(buf, i)) {
                continue;
            }
            int value = attributes.valueStart(i) < 0 ? values.emptySymbol()
                    : values.symbol(buf, attributes.valueStart(i), attributes.valueEnd(i));
            if (value == AttributeValues.TOO_LONG) {
                rejection = AppendResult.LABEL_VALUE_TOO_LONG;
                return;
            }
            promote(buf, names.label(buf, attributes.keyOffset(i), attributes.keyLength(i)), value, i);
        }
    }

    private boolean promotes(byte[] buf, int i) {
        int off = attributes.keyOffset(i);
        int len = attributes.keyLength(i);
        if (len == 0) {
            return false; // no valid label name can come from an empty key
        }
        for (byte[] ignored : ignoredKeys) {
            if (equals(buf, off, len, ignored)) {
                return false;
            }
        }
        return true;
    }

    /** Adds a promote-all pair; on a name collision the attribute whose key sorts first keeps it. */
    private void promote(byte[] buf, int name, int value, int source) {
        for (int p = 0; p < pairCount; p += 2) {
            if (pairs[p] == name) {
                int other = pairSource[p >> 1];
                if (compareKeys(buf, source, other) < 0) {
                    pairs[p + 1] = value;
                    pairSource[p >> 1] = source;
                }
                return;
            }
        }
        if ((pairCount >> 1) == pairSource.length) {
            pairSource = java.util.Arrays.copyOf(pairSource, pairSource.length * 2);
        }
        pairSource[pairCount >> 1] = source;
        put(name, value);
    }

    private int compareKeys(byte[] buf, int a, int b) {
        int ao = attributes.keyOffset(a);
        int bo = attributes.keyOffset(b);
        return java.util.Arrays.compareUnsigned(buf, ao, ao + attributes.keyLength(a), buf, bo, bo + attributes.keyLength(b));
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
