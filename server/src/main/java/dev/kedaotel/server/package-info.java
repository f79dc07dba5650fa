/**
 * The composition root. {@link dev.kedaotel.server.Main} parses {@link dev.kedaotel.server.Config}
 * (every {@link dev.kedaotel.server.Setting} as env var and flag) and starts
 * {@link dev.kedaotel.server.KedaOtelScaler}, the only class that knows how the modules are wired.
 * {@code http} holds the Prometheus HTTP API and kedify's debug endpoints over the JDK HTTP server,
 * {@code metrics} the Micrometer self-metrics, {@code demo} the {@code --demo} simulation.
 */
package dev.kedaotel.server;
