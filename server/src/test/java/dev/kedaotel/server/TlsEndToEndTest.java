package dev.kedaotel.server;

import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import dev.kedaotel.server.tls.TestPki;
import dev.kedaotel.server.tls.TlsPolicy;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * mTLS on every port, through the clients that really call them: a trusted client certificate is served;
 * no client certificate, a certificate from another CA, and plaintext all fail before any request is
 * answered; the policy's protocol floor holds; probes answer on the self-metrics port too.
 */
class TlsEndToEndTest {
    @TempDir
    static Path dir;
    private static TlsServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TlsServer(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ScaledObjectRef ref() {
        return ScaledObjectRef.newBuilder().setName("worker").setNamespace("ns")
                .putAllScalerMetadata(Map.of("metricQuery", "sum(tls_queue{deployment=worker})", "targetValue", "10")).build();
    }

    private static String url(int port, String path) {
        return "https://127.0.0.1:" + port + path;
    }

    @Test
    void trustedClientCertificateIsServedOnEveryPort() throws Exception {
        AtomicReference<X509Certificate> seen = new AtomicReference<>();
        ManagedChannel otlp = server.channel(server.app.otlpPort(), server.client, seen);
        assertFalse(server.export(otlp, "tls_queue", 3).hasPartialSuccess());
        assertEquals(server.serverCert.serial(), seen.getAndSet(null).getSerialNumber(), "4317 presented the configured certificate");

        ManagedChannel keda = server.channel(server.app.scalerPort(), server.client, seen);
        assertEquals(10.0, TlsServer.scaler(keda).getMetricSpec(ref()).getMetricSpecs(0).getTargetSizeFloat());
        assertEquals(server.serverCert.serial(), seen.getAndSet(null).getSerialNumber(), "4318");

        HttpClient https = server.https(server.client, seen);
        HttpResponse<String> q = TlsServer.get(https, url(server.app.httpPort(), "/api/v1/query?query=sum(tls_queue)"));
        assertEquals(200, q.statusCode(), q.body());
        assertTrue(q.body().contains("\"3\""), q.body());
        assertEquals(server.serverCert.serial(), seen.getAndSet(null).getSerialNumber(), "9090");

        https = server.https(server.client, seen);
        for (String path : List.of("/metrics", "/healthz", "/readyz")) {
            HttpResponse<String> r = TlsServer.get(https, url(server.app.metricsPort(), path));
            assertEquals(200, r.statusCode(), path + ": " + r.body());
        }
        assertEquals(server.serverCert.serial(), seen.get().getSerialNumber(), "8080");
        String probe = TlsServer.get(https, url(server.app.metricsPort(), "/readyz")).body();
        assertTrue(probe.startsWith("{\"ready\":true,"), "the probe of 8080: " + probe);
    }

    @Test
    void missingClientCertificateFailsTheHandshakeOnEveryPort() throws Exception {
        assertGrpcRefused(server.channel(server.app.otlpPort(), null, new AtomicReference<>()), true);
        assertGrpcRefused(server.channel(server.app.scalerPort(), null, new AtomicReference<>()), false);
        for (int port : new int[] {server.app.httpPort(), server.app.metricsPort()}) {
            assertHttpsRefused(server.https(null, new AtomicReference<>()), url(port, "/healthz"));
        }
    }

    @Test
    void clientCertificateFromAnotherCaFailsTheHandshakeOnEveryPort() throws Exception {
        assertGrpcRefused(server.channel(server.app.otlpPort(), server.rogueClient, new AtomicReference<>()), true);
        assertGrpcRefused(server.channel(server.app.scalerPort(), server.rogueClient, new AtomicReference<>()), false);
        for (int port : new int[] {server.app.httpPort(), server.app.metricsPort()}) {
            assertHttpsRefused(server.https(server.rogueClient, new AtomicReference<>()), url(port, "/healthz"));
        }
    }

    @Test
    void plaintextFailsOnEveryPort() throws Exception {
        for (int port : new int[] {server.app.otlpPort(), server.app.scalerPort()}) {
            ManagedChannel plain = server.plaintextChannel(port);
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> TlsServer.scaler(plain).getMetricSpec(ref()));
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
        }
        HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int port : new int[] {server.app.httpPort(), server.app.metricsPort()}) {
            String u = "http://127.0.0.1:" + port + "/healthz";
            // The answer is a TLS alert record, which no HTTP client can read: no fallback to plaintext.
            assertThrows(IOException.class, () -> TlsServer.get(plain, u), u + " answered plaintext");
        }
    }

    @Test
    void tlsBelowVersionOneTwoIsRefusedOnEveryPort() throws Exception {
        SSLContext ctx = TestPki.clientContext(server.client, server.ca.cert(), new AtomicReference<>());
        for (int port : new int[] {server.app.otlpPort(), server.app.scalerPort(), server.app.httpPort(), server.app.metricsPort()}) {
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
                SSLParameters p = s.getSSLParameters();
                p.setProtocols(new String[] {"TLSv1.1"});
                s.setSSLParameters(p);
                assertThrows(SSLException.class, s::startHandshake, "port " + port + " accepted TLS 1.1");
            }
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
                SSLParameters p = s.getSSLParameters();
                p.setProtocols(new String[] {"TLSv1.2"});
                p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
                s.setSSLParameters(p);
                s.startHandshake();
                assertEquals("TLSv1.2", s.getSession().getProtocol());
                assertTrue(TlsPolicy.CIPHER_SUITES.contains(s.getSession().getCipherSuite()), s.getSession().getCipherSuite());
            }
        }
    }

    @Test
    void selfMetricsShowEachPortsCertificate() throws Exception {
        String page = server.metrics();
        for (String port : List.of("otlp", "keda", "rest_api", "internal_metrics")) {
            assertEquals(server.serverCert.cert().getNotAfter().getTime() / 1000.0,
                    TlsServer.metric(page, "keda_otel_scaler_tls_certificate_expiry_timestamp_seconds{port=\"" + port + "\"}"), page);
            assertEquals(0.0, TlsServer.metric(page, "keda_otel_scaler_tls_certificate_reloads_total{port=\"" + port + "\",result=\"ok\"}"), page);
            assertEquals(0.0, TlsServer.metric(page, "keda_otel_scaler_tls_certificate_expired_total{port=\"" + port + "\"}"), page);
        }
    }

    /** The call fails as UNAVAILABLE because the TLS handshake failed (the server refused the client). */
    private static void assertGrpcRefused(ManagedChannel channel, boolean otlp) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> {
            if (otlp) {
                server.export(channel, "tls_refused", 1);
            } else {
                TlsServer.scaler(channel).getMetricSpec(ref());
            }
        });
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
        assertTrue(hasSslCause(e), "not a TLS failure: " + e);
    }

    private static void assertHttpsRefused(HttpClient client, String url) {
        IOException e = assertThrows(IOException.class, () -> TlsServer.get(client, url), url + " answered");
        assertTrue(hasSslCause(e), "not a TLS failure: " + e);
    }

    private static boolean hasSslCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLException) {
                return true;
            }
        }
        return false;
    }
}
