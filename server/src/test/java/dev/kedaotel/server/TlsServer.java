package dev.kedaotel.server;

import dev.kedaotel.model.ManualTimeSource;
import dev.kedaotel.scaler.externalscaler.ExternalScalerGrpc;
import dev.kedaotel.server.tls.TestPki;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The whole service on free ports of 127.0.0.1 with TLS and client certificates (mTLS) on all four ports,
 * certificates generated for the test, on a manual clock; and real clients for each port: grpc-java's
 * Netty transport with TLS for 4317 and 4318, the JDK's HttpClient over HTTPS for 9090 and 8080. Every
 * client records the certificate the server presented in its handshake.
 */
final class TlsServer implements AutoCloseable {
    final Path dir;
    final TestPki.Issued ca;
    final TestPki.Issued client;
    /** A client certificate from a CA the service does not trust. */
    final TestPki.Issued rogueClient;
    final Path certFile;
    final Path keyFile;
    final Path caFile;
    final ManualTimeSource time = new ManualTimeSource(System.currentTimeMillis());
    TestPki.Issued serverCert;
    final KedaOtelScaler app;
    private final List<ManagedChannel> channels = new ArrayList<>();

    TlsServer(Path dir) throws Exception {
        this.dir = dir;
        ca = TestPki.ca("test-ca");
        client = TestPki.client(ca, "keda-operator");
        rogueClient = TestPki.client(TestPki.ca("rogue-ca"), "intruder");
        serverCert = TestPki.server(ca, "EC");
        certFile = dir.resolve("tls.crt");
        keyFile = dir.resolve("tls.key");
        caFile = dir.resolve("ca.crt");
        serverCert.write(certFile, keyFile);
        Files.writeString(caFile, ca.certPem());
        app = KedaOtelScaler.start(Config.load(args(certFile, keyFile, caFile), new HashMap<>()), time);
    }

    /** Every port on 127.0.0.1:0 with TLS from these files (CA: mTLS). */
    static String[] args(Path cert, Path key, Path ca) {
        List<String> a = new ArrayList<>(List.of("--bind-address=127.0.0.1", "--otlp-receiver-port=0", "--keda-external-scaler-port=0",
                "--rest-api-port=0", "--internal-metrics-port=0", "--no-banner", "--keda-tls-enabled",
                "--metric-store-warm-up-seconds=0")); // about TLS, not the warm-up: answers and readiness at once
        for (String port : List.of("otlp", "keda", "rest-api", "internal-metrics")) {
            a.add("--" + port + "-tls-cert-file=" + cert);
            a.add("--" + port + "-tls-key-file=" + key);
            if (ca != null) {
                a.add("--" + port + "-tls-ca-file=" + ca);
            }
        }
        return a.toArray(new String[0]);
    }

    /** Replaces the certificate and key files with a new certificate (new serial) from the same CA. */
    TestPki.Issued rotate() throws Exception {
        serverCert = TestPki.server(ca, "RSA");
        serverCert.write(certFile, keyFile);
        return serverCert;
    }

    /** A gRPC channel over TLS presenting {@code identity} (or no certificate), recording the server's certificate. */
    ManagedChannel channel(int port, TestPki.Issued identity, AtomicReference<X509Certificate> seen) throws Exception {
        TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder().trustManager(TestPki.recordingTrustManager(ca.cert(), seen));
        if (identity != null) {
            b.keyManager(TestPki.keyManagers(identity));
        }
        return channel(port, b.build());
    }

    ManagedChannel plaintextChannel(int port) {
        return channel(port, InsecureChannelCredentials.create());
    }

    private ManagedChannel channel(int port, ChannelCredentials creds) {
        ManagedChannel c = Grpc.newChannelBuilderForAddress("127.0.0.1", port, creds).build();
        synchronized (channels) {
            channels.add(c);
        }
        return c;
    }

    /** A new HTTPS client (so a new handshake) presenting {@code identity}, or no certificate when null. */
    HttpClient https(TestPki.Issued identity, AtomicReference<X509Certificate> seen) throws Exception {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TestPki.clientContext(identity, ca.cert(), seen)).build();
    }

    static HttpResponse<String> get(HttpClient client, String url) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(java.time.Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The self-metrics page, fetched with the trusted client certificate. */
    String metrics() throws Exception {
        HttpResponse<String> r = get(https(client, new AtomicReference<>()), "https://127.0.0.1:" + app.metricsPort() + "/metrics");
        if (r.statusCode() != 200) {
            throw new AssertionError(r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    static ExternalScalerGrpc.ExternalScalerBlockingStub scaler(ManagedChannel c) {
        return ExternalScalerGrpc.newBlockingStub(c).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    /** One OTLP/gRPC export of gauge {@code name}{deployment="worker"} = {@code value} at the service's now. */
    ExportMetricsServiceResponse export(ManagedChannel otlp, String name, double value) {
        NumberDataPoint dp = NumberDataPoint.newBuilder().setTimeUnixNano(time.wallMillis() * 1_000_000L).setAsDouble(value)
                .addAttributes(KeyValue.newBuilder().setKey("deployment").setValue(AnyValue.newBuilder().setStringValue("worker"))).build();
        Metric m = Metric.newBuilder().setName(name).setGauge(Gauge.newBuilder().addDataPoints(dp)).build();
        ExportMetricsServiceRequest req = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(m))).build();
        return MetricsServiceGrpc.newBlockingStub(otlp).withDeadlineAfter(10, TimeUnit.SECONDS).export(req);
    }

    /** The value of the self-metric line starting with {@code series} (name and labels), or NaN without one. */
    static double metric(String page, String series) {
        for (String line : page.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return Double.NaN;
    }

    @Override
    public void close() {
        synchronized (channels) {
            for (ManagedChannel c : channels) {
                c.shutdownNow();
            }
        }
        app.close();
    }
}
