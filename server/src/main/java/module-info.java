/**
 * The composition root: configuration, {@code Main}, HTTP serving, self-metrics, the demo. Exports only
 * the entry points ({@code dev.kedaotel.server}: {@code Main}, {@code KedaOtelScaler}, {@code Config},
 * {@code Setting}); the HTTP layer, metrics and demo are internal.
 */
module dev.kedaotel.server {
    requires dev.kedaotel.receiver;
    requires dev.kedaotel.scaler;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.http;
    requires org.eclipse.jetty.http2.server;
    requires org.eclipse.jetty.io;
    requires org.eclipse.jetty.util;
    requires java.logging;
    requires java.management;
    requires com.sun.jna;
    requires io.grpc.netty.shaded;
    requires io.grpc.services;
    requires io.grpc.util;
    requires micrometer.core;
    requires micrometer.registry.prometheus;
    requires io.prometheus.metrics.model;
    requires io.prometheus.metrics.core;
    requires io.opentelemetry.proto;
    requires com.google.protobuf;
    requires org.yaml.snakeyaml;

    exports dev.kedaotel.server;
}
