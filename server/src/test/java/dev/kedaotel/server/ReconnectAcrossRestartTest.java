package dev.kedaotel.server;

import dev.kedaotel.model.ManualTimeSource;
import dev.kedaotel.scaler.externalscaler.ExternalScalerGrpc;
import dev.kedaotel.scaler.externalscaler.GetMetricsRequest;
import dev.kedaotel.scaler.externalscaler.IsActiveResponse;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients resume by themselves after the server restarts on the same ports (issue 14, "Collectors
 * reconnect"): the same OpenTelemetry SDK exporter instance (OTLP/gRPC over its OkHttp sender, and
 * OTLP/HTTP) keeps exporting, and the same grpc-java channel KEDA-like code holds gets answers and a new
 * {@code StreamIsActive}. Also the mechanism: shutdown sends HTTP/2 GOAWAY before the connection goes, and
 * ends open streams with status OK, which makes KEDA re-open them after its shortest back-off.
 *
 * <p>Nothing here waits for a time to pass: exports are retried a bounded number of times and each
 * attempt's outcome is asserted, not its duration; the deadlines only stop a broken run.
 */
class ReconnectAcrossRestartTest {
    /** Export attempts after a restart before the test gives up (the exporters' own retries come on top). */
    private static final int ATTEMPTS = 5;
    private static final long NOW_MS = System.currentTimeMillis();

    private final ManualTimeSource time = new ManualTimeSource(NOW_MS);
    private final FakeOtelClock sdkClock = new FakeOtelClock(NOW_MS - 1_000);
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final int[] ports = freePorts(4);
    private KedaOtelScaler server;

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Starts the service on this test's fixed ports and manual clock. */
    private KedaOtelScaler start() throws IOException {
        String[] args = {"--bind-address=127.0.0.1", "--otlp-receiver-port=" + ports[0], "--keda-external-scaler-port=" + ports[1],
                "--rest-api-port=" + ports[2], "--internal-metrics-port=" + ports[3], "--no-banner"};
        // No warm-up after the restart: this test is about connections, not about the window being complete
        // (the warm-up gate has its own tests). A server without that setting ignores the variable.
        server = KedaOtelScaler.start(Config.load(args, Map.of("METRIC_STORE_WARM_UP_SECONDS", "0")), time);
        return server;
    }

    private void restart() throws IOException {
        server.close();
        server = null;
        start();
    }

    @Test
    void sameGrpcExporterInstanceExportsToTheRestartedServer() throws Exception {
        start();
        MetricExporter exporter = OtlpGrpcMetricExporter.builder().setEndpoint("http://127.0.0.1:" + ports[0]).build();
        assertExportsAcrossARestart(exporter, "grpc_probe");
    }

    @Test
    void sameHttpExporterInstanceExportsToTheRestartedServer() throws Exception {
        start();
        MetricExporter exporter = OtlpHttpMetricExporter.builder().setEndpoint("http://127.0.0.1:" + ports[2] + "/v1/metrics").build();
        assertExportsAcrossARestart(exporter, "http_probe");
    }

    private void assertExportsAcrossARestart(MetricExporter exporter, String metric) throws Exception {
        SdkMeterProvider provider = SdkMeterProvider.builder().setClock(sdkClock)
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "reconnect")))
                // Exports only on forceFlush: the test decides when data leaves.
                .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofDays(1)).build())
                .build();
        cleanup.add(provider);
        LongCounter counter = provider.get("reconnect").counterBuilder(metric).build();

        counter.add(1);
        assertEquals(1, flushUntilAccepted(provider), "the first export is accepted at once");
        assertEquals("1", instantValue(metric));

        restart(); // graceful: GOAWAY to the exporter's connection, then the ports close and reopen

        counter.add(1);
        sdkClock.advanceMs(500);
        int attempts = flushUntilAccepted(provider);
        assertEquals("2", instantValue(metric), "the restarted server stores what the same exporter sent (after "
                + attempts + " flush(es))");
    }

    /** Flushes until an export succeeds; returns the attempt that did, or fails after {@link #ATTEMPTS}. */
    private static int flushUntilAccepted(SdkMeterProvider provider) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (provider.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()) {
                return attempt;
            }
        }
        throw new AssertionError("no export accepted in " + ATTEMPTS + " flushes: the exporter did not reconnect");
    }

    /** The metric's instant value through the Prometheus API of the running server, at the manual clock. */
    private String instantValue(String metric) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[2]
                + "/api/v1/query?query=" + metric)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"]").matcher(r.body());
        assertTrue(m.find(), metric + " is stored: " + r.body());
        return m.group(1);
    }

    /**
     * KEDA keeps one channel per scaler address for the life of the operator. The stream it had open ends
     * with OK at shutdown (KEDA's push loop resets its back-off to 2 s only when the stream ends cleanly,
     * io.EOF; an error status would grow it towards a minute), and the same channel then reaches the
     * restarted server for unary calls and a new stream.
     */
    @Test
    void kedaChannelGetsItsStreamEndedCleanlyAndReachesTheRestartedServer() throws Exception {
        start();
        ManagedChannel keda = ManagedChannelBuilder.forAddress("127.0.0.1", ports[1]).usePlaintext().build();
        cleanup.add(keda::shutdownNow);
        ScaledObjectRef ref = ScaledObjectRef.newBuilder().setName("restart").setNamespace("ns")
                .putScalerMetadata("metricQuery", "sum(queue_depth{deployment=worker})").putScalerMetadata("targetValue", "5").build();

        Stream before = Stream.open(keda, ref);
        assertEquals(Boolean.FALSE, before.pushes.poll(30, TimeUnit.SECONDS), "the stream sends the current answer when it opens");

        server.close();
        server = null;
        Status ended = before.end.get(30, TimeUnit.SECONDS);
        assertEquals(Status.Code.OK, ended.getCode(), "StreamIsActive ends cleanly at shutdown: " + ended);

        start();
        ExternalScalerGrpc.ExternalScalerBlockingStub stub = ExternalScalerGrpc.newBlockingStub(keda)
                .withWaitForReady().withDeadlineAfter(30, TimeUnit.SECONDS);
        assertEquals(5.0, stub.getMetricSpec(ref).getMetricSpecs(0).getTargetSizeFloat());
        assertEquals(0.0, stub.getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(ref).setMetricName("ns-restart").build())
                .getMetricValues(0).getMetricValueFloat());

        Stream after = Stream.open(keda, ref);
        assertEquals(Boolean.FALSE, after.pushes.poll(30, TimeUnit.SECONDS), "a new stream on the same channel gets answers");
        after.cancel();
    }

    /** One client-side StreamIsActive: its pushes, and how it ended. */
    private static final class Stream {
        final BlockingQueue<Boolean> pushes = new LinkedBlockingQueue<>();
        final CompletableFuture<Status> end = new CompletableFuture<>();
        private final io.grpc.Context.CancellableContext context = io.grpc.Context.current().withCancellation();

        static Stream open(ManagedChannel channel, ScaledObjectRef ref) {
            Stream s = new Stream();
            s.context.run(() -> ExternalScalerGrpc.newStub(channel).withWaitForReady().streamIsActive(ref, new StreamObserver<IsActiveResponse>() {
                @Override
                public void onNext(IsActiveResponse value) {
                    s.pushes.add(value.getResult());
                }

                @Override
                public void onError(Throwable t) {
                    s.end.complete(Status.fromThrowable(t));
                }

                @Override
                public void onCompleted() {
                    s.end.complete(Status.OK);
                }
            }));
            return s;
        }

        void cancel() {
            context.cancel(null);
        }
    }

    /**
     * Shutdown tells connected HTTP/2 clients to go away before closing: a raw HTTP/2 connection to each
     * gRPC port receives a GOAWAY frame (type 7) once close() starts, before the connection ends. Without
     * it a client learns of the restart only from a reset connection, and fails the call it had started.
     */
    @Test
    void shutdownSendsGoAwayOnBothGrpcPorts() throws Exception {
        start();
        Socket otlp = http2Connection(ports[0]);
        cleanup.add(otlp);
        Socket keda = http2Connection(ports[1]);
        cleanup.add(keda);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        assertTrue(receivesGoAway(otlp), "GOAWAY on the OTLP port");
        assertTrue(receivesGoAway(keda), "GOAWAY on the KEDA port");
        // Hang up (we do not answer the server's ping), so the graceful close need not wait for us.
        otlp.close();
        keda.close();
        closing.get(30, TimeUnit.SECONDS);
        server = null;
    }

    private static final int FRAME_SETTINGS = 4;
    private static final int FRAME_GOAWAY = 7;

    /** An HTTP/2 (h2c, prior knowledge) connection whose handshake the server has answered. */
    private static Socket http2Connection(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(30_000);
        OutputStream out = s.getOutputStream();
        out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[] {0, 0, 0, FRAME_SETTINGS, 0, 0, 0, 0, 0}); // empty SETTINGS
        out.flush();
        assertEquals(FRAME_SETTINGS, readFrameType(new DataInputStream(s.getInputStream())), "the server's first frame is SETTINGS");
        return s;
    }

    /** Reads frames until GOAWAY (true) or the end of the connection (false). */
    private static boolean receivesGoAway(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        try {
            while (true) {
                if (readFrameType(in) == FRAME_GOAWAY) {
                    return true;
                }
            }
        } catch (EOFException | java.net.SocketException e) {
            return false;
        }
    }

    /** Reads one frame (9-byte header, then the payload, skipped); returns its type. */
    private static int readFrameType(DataInputStream in) throws IOException {
        byte[] header = new byte[9];
        in.readFully(header);
        int length = ((header[0] & 0xff) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
        in.readFully(new byte[length]);
        return header[3] & 0xff;
    }

    private static int[] freePorts(int n) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            for (ServerSocket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // a port we could not close is reported when the server cannot bind it
                }
            }
        }
    }
}
