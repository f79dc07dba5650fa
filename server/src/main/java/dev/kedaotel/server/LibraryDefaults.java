package dev.kedaotel.server;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * System properties that Jetty and gRPC's shaded Netty read once, in static initializers, and whose
 * library defaults cost start time or resident memory in a small service. {@link Main} applies them
 * before either library loads, so a plain {@code java -jar} gets them as well as the launcher. A value
 * given on the command line ({@code -Dname=value}) always wins: only unset properties are filled in.
 */
final class LibraryDefaults {
    /**
     * Each property with the value used when it is unset. Why each one:
     * <ul>
     *   <li>{@code org.eclipse.jetty.util.referencesPerCacheLine}: left unset, Jetty's {@code MemoryUtils}
     *       asks the platform MBean server whether compressed oops are on, which creates that server and
     *       registers every platform MBean (JMX, the diagnostic commands, JFR's MBean): ~350 classes and
     *       ~30 ms of a ~450 ms start, only to choose the padding of {@code BlockingArrayQueue}. 16 is
     *       its answer with compressed oops (any heap under 32 GiB); without them, the padding covers two
     *       cache lines instead of one, which is harmless.</li>
     *   <li>{@code java.locale.providers} (Java 17 to 20 only): Jetty's {@code MimeTypes} calls
     *       {@code Locale.getAvailableLocales()} in its static initializer, which with the JDK's default
     *       CLDR locale data parses ~1,000 language tags per locale service: ~150 ms of CPU (most of it
     *       C2 compiling the parser) and ~14 MiB more idle RSS, for a list the service never reads. The
     *       COMPAT (JRE) data lists 166 locales and costs ~20 ms. Nothing here formats with a user's
     *       locale (numbers go through {@code GoFloats} or {@code Locale.ROOT}, times are ISO-8601), so
     *       the output is the same. Java 21 warns that COMPAT is deprecated and 23 removed it, so from
     *       21 on the JDK's default stays.</li>
     * </ul>
     */
    static final Map<String, String> DEFAULTS = defaults(Runtime.version().feature());

    static Map<String, String> defaults(int javaFeatureVersion) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("org.eclipse.jetty.util.referencesPerCacheLine", "16");
        if (javaFeatureVersion < 21) {
            m.put("java.locale.providers", "COMPAT");
        }
        return Collections.unmodifiableMap(m);
    }

    private LibraryDefaults() {
    }

    /** Sets every default whose property is not set yet in {@code target} (the system properties, in Main). */
    static void apply(Properties target) {
        for (Map.Entry<String, String> e : DEFAULTS.entrySet()) {
            target.putIfAbsent(e.getKey(), e.getValue());
        }
    }
}
