package dev.kedaotel.receiver;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A real OpenTelemetry SDK meter provider that exports only when {@link #flush()} is called. */
final class SdkMetrics implements AutoCloseable {
    final SdkMeterProvider provider;
    final Meter meter;
    private long lastFlushMs;

    SdkMetrics(MetricExporter exporter, String serviceName) {
        provider = SdkMeterProvider.builder()
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), serviceName,
                        AttributeKey.stringKey("k8s.pod.name"), "pod-1")))
                .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build())
                .build();
        meter = provider.get("e2e");
    }

    /**
     * Exports now and waits for the export to succeed. Collections are kept at distinct milliseconds,
     * since the store treats a repeated timestamp as an exporter retry.
     */
    void flush() {
        while (System.currentTimeMillis() <= lastFlushMs) {
            Thread.onSpinWait();
        }
        CompletableResultCode result = provider.forceFlush().join(20, TimeUnit.SECONDS);
        assertTrue(result.isSuccess(), "export failed: " + result.getFailureThrowable());
        lastFlushMs = System.currentTimeMillis();
    }

    @Override
    public void close() {
        provider.shutdown().join(20, TimeUnit.SECONDS);
    }
}
