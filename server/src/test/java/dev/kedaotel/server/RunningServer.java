package dev.kedaotel.server;

import dev.kedaotel.scaler.externalscaler.ExternalScalerGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import dev.kedaotel.model.TimeSource;
import java.util.HashMap;
import java.util.OptionalLong;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A whole service started on free ports for a test, plus clients for each of its interfaces. Without the
 * window's warm-up ({@code --metric-store-warm-up-seconds=0}): the tests using it are about answers, not
 * about the warm-up, and push their data right after the start; a test of the warm-up passes its own
 * value, which comes later on the command line and wins.
 */
final class RunningServer implements AutoCloseable {
    final KedaOtelScaler app;
    final ManagedChannel scalerChannel;
    final ManagedChannel otlpChannel;
    final HttpClient http = HttpClient.newHttpClient();

    RunningServer(String... extraArgs) throws Exception {
        this(TimeSource.system(), OptionalLong.empty(), extraArgs);
    }

    /**
     * On {@code time}, with the window complete since {@code completeSinceMs} (empty: since the start). Pass
     * {@code --metric-store-warm-up-seconds=} (empty) for the default warm-up.
     */
    static RunningServer on(TimeSource time, OptionalLong completeSinceMs, String... extraArgs) throws Exception {
        return new RunningServer(time, completeSinceMs, extraArgs);
    }

    private RunningServer(TimeSource time, OptionalLong completeSinceMs, String... extraArgs) throws Exception {
        String[] base = {"--bind-address=127.0.0.1", "--otlp-receiver-port=0", "--keda-external-scaler-port=0", "--rest-api-port=0", "--internal-metrics-port=0", "--no-banner",
                "--metric-store-warm-up-seconds=0"};
        String[] args = new String[base.length + extraArgs.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extraArgs, 0, args, base.length, extraArgs.length);
        app = KedaOtelScaler.start(Config.load(args, new HashMap<>()), time, completeSinceMs);
        scalerChannel = ManagedChannelBuilder.forAddress("127.0.0.1", app.scalerPort()).usePlaintext().build();
        otlpChannel = ManagedChannelBuilder.forAddress("127.0.0.1", app.otlpPort()).usePlaintext().build();
    }

    ExternalScalerGrpc.ExternalScalerBlockingStub scaler() {
        return ExternalScalerGrpc.newBlockingStub(scalerChannel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    ExternalScalerGrpc.ExternalScalerStub scalerAsync() {
        return ExternalScalerGrpc.newStub(scalerChannel);
    }

    String otlpEndpoint() {
        return "http://127.0.0.1:" + app.otlpPort();
    }

    String httpBase() {
        return "http://127.0.0.1:" + app.httpPort();
    }

    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(httpBase() + pathAndQuery)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> getMetricsPort(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.metricsPort() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postForm(String path, Map<String, String> form) throws IOException, InterruptedException {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : form.entrySet()) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(enc(e.getKey())).append('=').append(enc(e.getValue()));
        }
        return http.send(HttpRequest.newBuilder(URI.create(httpBase() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(sb.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(httpBase() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        scalerChannel.shutdownNow();
        otlpChannel.shutdownNow();
        app.close();
    }
}
