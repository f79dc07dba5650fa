/**
 * The composition root. {@link dev.kedaotel.server.Main} parses {@link dev.kedaotel.server.Config}
 * (every typed {@link dev.kedaotel.server.Setting} as env var and flag) and starts
 * {@link dev.kedaotel.server.KedaOtelScaler}, the only class that knows how the modules are wired and
 * the one owner of time and threads (its Javadoc lists every thread of the process).
 * {@code http} holds the Prometheus HTTP API, kedify's debug endpoints and the health routes over
 * Jetty, {@code tls} TLS and mTLS for all four ports with in-place certificate reload, {@code metrics}
 * the Micrometer self-metrics, {@code demo} the {@code --demo} simulation.
 *
 * <p>Public API (exported): this package's {@code Main}, {@code KedaOtelScaler}, {@code Config} and
 * {@code Setting}; the rest is internal to the module.
 */
package dev.kedaotel.server;
