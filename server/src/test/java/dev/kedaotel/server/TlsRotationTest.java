package dev.kedaotel.server;

import dev.kedaotel.scaler.externalscaler.ExternalScalerGrpc;
import dev.kedaotel.scaler.externalscaler.IsActiveResponse;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import dev.kedaotel.server.tls.TestPki;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Certificate rotation as cert-manager does it, with KEDA connected: the files are replaced, the reload
 * tick (run here directly instead of waiting for OTLP_CERTIFICATE_RELOAD_INTERVAL) swaps the managers'
 * content, new handshakes on every port present the new serial, and the StreamIsActive stream opened
 * before — and the OTLP connection opened before — keep working. A broken replacement keeps the old
 * certificate and is counted; a certificate that expires while served is reported once.
 */
class TlsRotationTest {
    @TempDir
    Path dir;

    @Test
    void newHandshakesPresentTheNewCertificateWhileAnOpenStreamKeepsDelivering() throws Exception {
        try (TlsServer server = new TlsServer(dir)) {
            KedaOtelScaler app = server.app;
            ManagedChannel otlp = server.channel(app.otlpPort(), server.client, new AtomicReference<>());
            ManagedChannel keda = server.channel(app.scalerPort(), server.client, new AtomicReference<>());
            BlockingQueue<Boolean> pushes = new LinkedBlockingQueue<>();
            AtomicReference<Throwable> streamError = new AtomicReference<>();
            Context.CancellableContext stream = Context.current().withCancellation();
            ScaledObjectRef ref = ScaledObjectRef.newBuilder().setName("worker").setNamespace("ns")
                    .putAllScalerMetadata(Map.of("metricQuery", "sum(rotation_queue{deployment=worker})", "targetValue", "10")).build();
            stream.run(() -> ExternalScalerGrpc.newStub(keda).streamIsActive(ref, new StreamObserver<IsActiveResponse>() {
                @Override
                public void onNext(IsActiveResponse value) {
                    pushes.add(value.getResult());
                }

                @Override
                public void onError(Throwable t) {
                    streamError.set(t);
                }

                @Override
                public void onCompleted() {
                }
            }));
            try {
                assertEquals(Boolean.FALSE, pushes.poll(10, TimeUnit.SECONDS), "the current answer when the stream opens");
                server.export(otlp, "rotation_queue", 12);
                assertEquals(Boolean.TRUE, pushes.poll(10, TimeUnit.SECONDS));
                BigInteger before = server.serverCert.serial();

                TestPki.Issued next = server.rotate();
                assertNotEquals(before, next.serial());
                assertEquals(before, presented(server).get(0), "nothing changes before the reload tick");
                app.reloadCertificates();
                assertEquals(List.of(next.serial(), next.serial(), next.serial(), next.serial()), presented(server),
                        "new handshakes on 4317, 4318, 9090, 8080 present the new certificate");

                server.time.advanceMillis(1_000);
                server.export(otlp, "rotation_queue", 0); // over the connection opened before the reload
                assertEquals(Boolean.FALSE, pushes.poll(10, TimeUnit.SECONDS), "the stream opened before the reload still delivers");
                server.time.advanceMillis(1_000);
                server.export(server.channel(app.otlpPort(), server.client, new AtomicReference<>()), "rotation_queue", 20);
                assertEquals(Boolean.TRUE, pushes.poll(10, TimeUnit.SECONDS));

                String page = server.metrics();
                for (String port : List.of("otlp", "keda", "rest_api", "internal_metrics")) {
                    assertEquals(1.0, TlsServer.metric(page, "keda_otel_scaler_tls_certificate_reloads_total{port=\"" + port + "\",result=\"ok\"}"), page);
                    assertEquals(next.cert().getNotAfter().getTime() / 1000.0,
                            TlsServer.metric(page, "keda_otel_scaler_tls_certificate_expiry_timestamp_seconds{port=\"" + port + "\"}"), page);
                }

                // A broken replacement (a certificate without its key) is refused: the last good one is served.
                Files.writeString(server.certFile, TestPki.server(server.ca, "EC").certPem());
                app.reloadCertificates();
                assertEquals(List.of(next.serial(), next.serial(), next.serial(), next.serial()), presented(server));
                page = server.metrics();
                for (String port : List.of("otlp", "keda", "rest_api", "internal_metrics")) {
                    assertEquals(1.0, TlsServer.metric(page, "keda_otel_scaler_tls_certificate_reloads_total{port=\"" + port + "\",result=\"error\"}"), page);
                    assertEquals(1.0, TlsServer.metric(page, "keda_otel_scaler_tls_certificate_reloads_total{port=\"" + port + "\",result=\"ok\"}"), page);
                }

                assertNull(streamError.get(), "the stream stayed open throughout");
                assertTrue(pushes.isEmpty(), "no unexpected pushes: " + pushes);

                // The served certificate expires (by the service's clock; the samples age out too, so the
                // stream may now push false): reported once per port, with its date.
                next.write(server.certFile, server.keyFile);
                server.time.setWallMillis(next.cert().getNotAfter().getTime() + 1_000);
                app.reloadCertificates();
                app.reloadCertificates();
                page = server.metrics();
                for (String port : List.of("otlp", "keda", "rest_api", "internal_metrics")) {
                    assertEquals(1.0, TlsServer.metric(page, "keda_otel_scaler_tls_certificate_expired_total{port=\"" + port + "\"}"), page);
                }
                assertNull(streamError.get(), "the stream stayed open throughout");
            } finally {
                stream.cancel(null);
            }
        }
    }

    /** The serial each port presents to a new handshake with the trusted client: 4317, 4318, 9090, 8080. */
    private static List<BigInteger> presented(TlsServer server) throws Exception {
        KedaOtelScaler app = server.app;
        AtomicReference<X509Certificate> otlp = new AtomicReference<>();
        server.export(server.channel(app.otlpPort(), server.client, otlp), "rotation_probe", 1);
        AtomicReference<X509Certificate> keda = new AtomicReference<>();
        TlsServer.scaler(server.channel(app.scalerPort(), server.client, keda)).getMetricSpec(ScaledObjectRef.newBuilder()
                .setName("probe").setNamespace("ns").putScalerMetadata("metricQuery", "x").putScalerMetadata("targetValue", "1").build());
        AtomicReference<X509Certificate> rest = new AtomicReference<>();
        assertEquals(200, TlsServer.get(server.https(server.client, rest), "https://127.0.0.1:" + app.httpPort() + "/healthz").statusCode());
        AtomicReference<X509Certificate> metrics = new AtomicReference<>();
        assertEquals(200, TlsServer.get(server.https(server.client, metrics), "https://127.0.0.1:" + app.metricsPort() + "/healthz").statusCode());
        return List.of(otlp.get().getSerialNumber(), keda.get().getSerialNumber(), rest.get().getSerialNumber(),
                metrics.get().getSerialNumber());
    }
}
