package dev.kedaotel.server.demo;

import dev.kedaotel.scaler.externalscaler.ExternalScalerGrpc;
import dev.kedaotel.scaler.externalscaler.GetMetricSpecResponse;
import dev.kedaotel.scaler.externalscaler.GetMetricsRequest;
import dev.kedaotel.scaler.externalscaler.GetMetricsResponse;
import dev.kedaotel.scaler.externalscaler.IsActiveResponse;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code --demo}: three simulated vLLM pods, each behind an OpenTelemetry collector sidecar, push
 * {@code vllm:num_requests_running} over real OTLP/gRPC to our receiver, following a load wave
 * (idle, ramp up, hold, ramp down). A KEDA-like client talks to our scaler port exactly as KEDA does
 * for an {@code external-push} trigger: GetMetricSpec once, a StreamIsActive stream, and GetMetrics
 * on a poll. It prints the scaling signal whenever it changes, so the whole loop is visible in one
 * terminal. The wave repeats every {@link #CYCLE_SECONDS} seconds.
 */
public final class Demo implements AutoCloseable {
    static final int PODS = 3;
    static final int CYCLE_SECONDS = 90;
    static final double TARGET_PER_POD = 4;
    static final String NAMESPACE = "demo";
    static final String DEPLOYMENT = "llama-predictor";
    static final String QUERY = "sum(vllm:num_requests_running{namespace=\"" + NAMESPACE + "\", deployment=\"" + DEPLOYMENT + "\"})";

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final PrintStream out;
    private final ManagedChannel otlp;
    private final ManagedChannel keda;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "demo");
        t.setDaemon(true);
        return t;
    });
    private final long startMs = System.currentTimeMillis();
    private volatile double lastPrintedValue = Double.NaN;
    private volatile boolean closed;

    public Demo(int otlpPort, int scalerPort, PrintStream out) {
        this.out = out;
        this.otlp = ManagedChannelBuilder.forAddress("127.0.0.1", otlpPort).usePlaintext().build();
        this.keda = ManagedChannelBuilder.forAddress("127.0.0.1", scalerPort).usePlaintext().build();
    }

    public void start() {
        out.println("[demo] " + PODS + " simulated vLLM pods push vllm:num_requests_running every second to the OTLP port;");
        out.println("[demo] a KEDA-like client watches ScaledObject " + NAMESPACE + "/" + DEPLOYMENT + " with");
        out.println("[demo]   metricQuery: " + QUERY);
        out.println("[demo]   targetValue: " + (int) TARGET_PER_POD + "   (trigger type external-push)");
        out.println("[demo] Try it yourself: curl 'http://localhost:9090/api/v1/query?query=sum+by+(pod)(vllm:num_requests_running)'");
        timer.scheduleAtFixedRate(this::pushAll, 0, 1, TimeUnit.SECONDS);
        ScaledObjectRef ref = scaledObject();
        ExternalScalerGrpc.ExternalScalerBlockingStub blocking = ExternalScalerGrpc.newBlockingStub(keda);
        timer.schedule(() -> {
            GetMetricSpecResponse spec = blocking.getMetricSpec(ref);
            out.println(line("GetMetricSpec -> metricName=" + spec.getMetricSpecs(0).getMetricName()
                    + " targetSizeFloat=" + spec.getMetricSpecs(0).getTargetSizeFloat()));
            openStream(ref);
        }, 500, TimeUnit.MILLISECONDS);
        timer.scheduleAtFixedRate(() -> poll(blocking, ref), 2, 2, TimeUnit.SECONDS);
    }

    private ScaledObjectRef scaledObject() {
        return ScaledObjectRef.newBuilder().setName(DEPLOYMENT).setNamespace(NAMESPACE)
                .putScalerMetadata("scalerAddress", "keda-otel-scaler.keda.svc:4318")
                .putScalerMetadata("metricQuery", QUERY)
                .putScalerMetadata("targetValue", Integer.toString((int) TARGET_PER_POD))
                .putScalerMetadata("operationOverTime", "last_one")
                .build();
    }

    private void openStream(ScaledObjectRef ref) {
        ExternalScalerGrpc.newStub(keda).streamIsActive(ref, new StreamObserver<IsActiveResponse>() {
            @Override
            public void onNext(IsActiveResponse r) {
                out.println(line("StreamIsActive pushed active=" + r.getResult()
                        + (r.getResult() ? "  (KEDA would scale the deployment up from zero now)" : "  (KEDA would scale to zero after its cooldown)")));
            }

            @Override
            public void onError(Throwable t) {
                if (closed) {
                    return;
                }
                out.println(line("StreamIsActive ended: " + t.getMessage() + "; reopening in 2 s"));
                timer.schedule(() -> openStream(ref), 2, TimeUnit.SECONDS);
            }

            @Override
            public void onCompleted() {
                out.println(line("StreamIsActive completed by the server"));
            }
        });
    }

    private void poll(ExternalScalerGrpc.ExternalScalerBlockingStub stub, ScaledObjectRef ref) {
        try {
            GetMetricsResponse r = stub.withDeadlineAfter(5, TimeUnit.SECONDS)
                    .getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(ref).setMetricName(NAMESPACE + "-" + DEPLOYMENT).build());
            double v = r.getMetricValues(0).getMetricValueFloat();
            if (Double.compare(v, lastPrintedValue) != 0) {
                lastPrintedValue = v;
                long replicas = Math.max(1, (long) Math.ceil(v / TARGET_PER_POD));
                out.println(line(String.format("GetMetrics -> %.1f requests running; HPA wants ceil(%.1f / %d) = %d replica(s)",
                        v, v, (int) TARGET_PER_POD, replicas)));
            }
        } catch (RuntimeException e) {
            out.println(line("GetMetrics failed: " + e.getMessage()));
        }
    }

    /** Requests running per pod at this point of the wave: idle, ramp up, hold, ramp down. */
    static double load(double secondsIntoCycle, int pod) {
        double t = secondsIntoCycle % CYCLE_SECONDS;
        double peak = 6 + 2 * pod;
        if (t < 15) {
            return 0;
        }
        if (t < 35) {
            return Math.round(peak * (t - 15) / 20.0);
        }
        if (t < 60) {
            return peak;
        }
        if (t < 80) {
            return Math.round(peak * (80 - t) / 20.0);
        }
        return 0;
    }

    private void pushAll() {
        long now = System.currentTimeMillis();
        double secs = (now - startMs) / 1000.0;
        MetricsServiceGrpc.MetricsServiceBlockingStub stub = MetricsServiceGrpc.newBlockingStub(otlp).withDeadlineAfter(5, TimeUnit.SECONDS);
        for (int pod = 0; pod < PODS; pod++) {
            try {
                stub.export(request(pod, load(secs, pod), now));
            } catch (RuntimeException e) {
                out.println(line("pod " + pod + " export failed: " + e.getMessage()));
            }
        }
    }

    /** What an OpenTelemetry collector sidecar scraping vLLM sends (KServe's transform adds namespace/deployment/pod). */
    private static ExportMetricsServiceRequest request(int pod, double running, long nowMs) {
        String podName = DEPLOYMENT + "-7d9f8b6c5-" + (char) ('a' + pod) + "x" + pod;
        NumberDataPoint dp = NumberDataPoint.newBuilder()
                .setTimeUnixNano(nowMs * 1_000_000L)
                .setAsDouble(running)
                .addAttributes(attr("model_name", "llama-3-8b"))
                .addAttributes(attr("namespace", NAMESPACE))
                .addAttributes(attr("deployment", DEPLOYMENT))
                .addAttributes(attr("pod", podName))
                .build();
        Metric m = Metric.newBuilder().setName("vllm:num_requests_running").setGauge(Gauge.newBuilder().addDataPoints(dp)).build();
        Resource res = Resource.newBuilder()
                .addAttributes(attr("service.name", "otel-collector"))
                .addAttributes(attr("k8s.pod.name", podName))
                .addAttributes(attr("k8s.namespace.name", NAMESPACE))
                .build();
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder().setResource(res).addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(m)))
                .build();
    }

    private static KeyValue attr(String k, String v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
    }

    private String line(String s) {
        return "[demo " + LocalTime.now().format(CLOCK) + "] " + s;
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        otlp.shutdownNow();
        keda.shutdownNow();
    }
}
