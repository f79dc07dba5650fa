package dev.kedaotel.server;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exponential histograms recorded by the real OpenTelemetry Java SDK (base-2 exponential aggregation
 * through a View), exported over OTLP/gRPC to the started service, answer
 * {@code histogram_quantile} through the real HTTP API within the documented bound: the relative
 * error is at most {@code base - 1} of the grid's scale (2^(1/4) - 1 = 18.9% at scale 2, 41.4% at
 * scale 1), because the true quantile and the interpolated estimate lie in the same bucket.
 */
class ExponentialHistogramEndToEndTest {
    private static final double[] QUANTILES = {0.5, 0.9, 0.99};
    private static RunningServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new RunningServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static SdkMeterProvider provider(String instrument, AggregationTemporalitySelector temporality,
                                             FakeOtelClock clock) {
        OtlpGrpcMetricExporter exporter = OtlpGrpcMetricExporter.builder().setEndpoint(server.otlpEndpoint())
                .setAggregationTemporalitySelector(temporality)
                .setTimeout(Duration.ofSeconds(60)).build(); // a bound for a loaded CI machine, not a measurement
        return SdkMeterProvider.builder()
                .setClock(clock)
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "exp")))
                .registerView(InstrumentSelector.builder().setName(instrument).build(),
                        View.builder().setAggregation(Aggregation.base2ExponentialBucketHistogram()).build())
                .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofDays(1)).build())
                .build();
    }

    private static void flush(SdkMeterProvider p) {
        assertTrue(p.forceFlush().join(60, TimeUnit.SECONDS).isSuccess(), "OTLP export failed");
    }

    /** The q-quantile of the values: the ceil(q·n)-th smallest, which histogram_quantile's bucket holds. */
    private static double trueQuantile(List<Double> values, double q) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[(int) Math.ceil(q * sorted.length) - 1];
    }

    private static double query(String promql, long atMs) throws Exception {
        HttpResponse<String> r = server.get("/api/v1/query?query=" + RunningServer.enc(promql)
                + "&time=" + String.format(Locale.ROOT, "%.3f", atMs / 1000.0));
        assertEquals(200, r.statusCode(), r.body());
        Matcher m = Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"]").matcher(r.body());
        assertTrue(m.find(), promql + ": " + r.body());
        String v = m.group(1);
        assertTrue(!m.find(), promql + " should give one sample: " + r.body());
        return Double.parseDouble(v);
    }

    /** The {@code le} values of a metric's bucket series that are live at {@code atMs}. */
    private static TreeSet<Double> boundaries(String bucketMetric, long atMs) throws Exception {
        HttpResponse<String> r = server.get("/api/v1/query?query=" + RunningServer.enc(bucketMetric)
                + "&time=" + String.format(Locale.ROOT, "%.3f", atMs / 1000.0));
        Matcher m = Pattern.compile("\"le\":\"([^\"]+)\"").matcher(r.body());
        TreeSet<Double> out = new TreeSet<>();
        while (m.find()) {
            out.add(m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1)));
        }
        return out;
    }

    /** Asserts the finite positive boundaries are consecutive powers of 2^(2^-scale). */
    private static void assertGrid(TreeSet<Double> les, int scale) {
        double base = Math.pow(2, Math.pow(2, -scale));
        Double prev = null;
        for (double le : les) {
            if (le > 0 && le != Double.POSITIVE_INFINITY) {
                if (prev != null) {
                    assertEquals(base, le / prev, 1e-9, "boundaries " + prev + " and " + le + " in " + les);
                }
                prev = le;
            }
        }
    }

    private static void assertQuantiles(String what, String bucketExpr, long atMs, List<Double> values, double bound)
            throws Exception {
        for (double q : QUANTILES) {
            double estimate = query("histogram_quantile(" + q + ", sum by (le) (" + bucketExpr + "))", atMs);
            double truth = trueQuantile(values, q);
            double error = Math.abs(estimate - truth) / truth;
            System.out.printf(Locale.ROOT, "%s q=%.2f true=%.5f estimate=%.5f error=%.2f%%%n", what, q, truth, estimate,
                    100 * error);
            assertTrue(error <= bound, what + " q=" + q + ": true " + truth + ", estimate " + estimate + ", relative error "
                    + error + " over the bound " + bound);
        }
    }

    @Test
    void lognormalLatenciesAnswerHistogramQuantileWithinTheScaleTwoBound() throws Exception {
        // 10,000 latencies, lognormal around 100 ms (sigma 1: ~2,500-fold range), exported in two halves
        // 30 s apart, by a cumulative and by a delta exporter.
        Random random = new Random(42);
        List<Double> first = new ArrayList<>();
        List<Double> second = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            (i < 5_000 ? first : second).add(Math.exp(Math.log(0.1) + random.nextGaussian()));
        }
        List<Double> all = new ArrayList<>(first);
        all.addAll(second);
        FakeOtelClock clock = new FakeOtelClock(System.currentTimeMillis() - 70_000);
        long t1 = clock.nowMs();
        long t2 = t1 + 30_000;
        try (SdkMeterProvider cumulative = provider("lognormal.cumulative", AggregationTemporalitySelector.alwaysCumulative(), clock);
             SdkMeterProvider delta = provider("lognormal.delta", AggregationTemporalitySelector.deltaPreferred(), clock)) {
            DoubleHistogram c = cumulative.get("exp").histogramBuilder("lognormal.cumulative").setUnit("s").build();
            DoubleHistogram d = delta.get("exp").histogramBuilder("lognormal.delta").setUnit("s").build();
            for (List<Double> batch : List.of(first, second)) {
                for (double v : batch) {
                    c.record(v);
                    d.record(v);
                }
                flush(cumulative);
                flush(delta);
                clock.advanceMs(30_000);
            }
            double bound = Math.pow(2, 0.25) - 1; // 64 buckets hold this range at scale 2
            for (String name : List.of("lognormal_cumulative", "lognormal_delta")) {
                TreeSet<Double> les = boundaries(name + "_bucket", t2);
                assertTrue(les.size() <= 64, les::toString);
                assertGrid(les, 2);
                assertEquals(10_000, query("sum(" + name + "_count)", t2));
                assertEquals(10_000, query("sum(" + name + "_bucket{le=\"+Inf\"})", t2));
                // All 10,000 values: the buckets as they are at t2.
                assertQuantiles(name + " instant", name + "_bucket", t2, all, bound);
                // The second half: the rate between the two exports.
                assertQuantiles(name + " rate", "rate(" + name + "_bucket[45s])", t2, second, bound);
            }
        }
    }

    @Test
    void aScaleChangeBetweenExportsKeepsTheAnswersWithinTheBoundWithoutDoubleCounting() throws Exception {
        // 1,000 values in [1, 2): the SDK exports them at a fine scale; then 1,000 log-uniform values over
        // nine decades make it downscale to scale 2, and the grid to scale 1 (64 buckets); then 1,000 more.
        Random random = new Random(7);
        List<Double> narrow = new ArrayList<>();
        List<Double> wide = new ArrayList<>();
        List<Double> third = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            narrow.add(1 + random.nextDouble());
            wide.add(Math.pow(10, -3 + 9 * random.nextDouble()));
            third.add(Math.pow(10, -3 + 9 * random.nextDouble()));
        }
        FakeOtelClock clock = new FakeOtelClock(System.currentTimeMillis() - 70_000);
        long t1 = clock.nowMs();
        long t2 = t1 + 30_000;
        long t3 = t2 + 30_000;
        try (SdkMeterProvider p = provider("rescaled", AggregationTemporalitySelector.alwaysCumulative(), clock)) {
            DoubleHistogram h = p.get("exp").histogramBuilder("rescaled").build();
            narrow.forEach(h::record);
            flush(p);
            TreeSet<Double> fine = boundaries("rescaled_bucket", t1);
            assertGrid(fine, 3);
            assertQuantiles("narrow", "rescaled_bucket", t1, narrow, Math.pow(2, 0.125) - 1);

            clock.advanceMs(30_000);
            wide.forEach(h::record);
            flush(p);
            TreeSet<Double> coarse = boundaries("rescaled_bucket", t2);
            assertGrid(coarse, 1);
            assertTrue(coarse.size() <= 64, coarse::toString);
            // assertGrid saw only scale-1 boundaries: the scale-3 ones that scale 1 lacks were marked stale.
            assertTrue(fine.stream().filter(le -> !coarse.contains(le)).count() > 0, "the grid changed: " + fine + " " + coarse);
            assertEquals(2_000, query("sum(rescaled_count)", t2));
            assertEquals(2_000, query("sum(rescaled_bucket{le=\"+Inf\"})", t2));
            assertEquals(1_000, query("sum(rescaled_bucket{le=\"2\"})", t2) - countBelow(wide, 2));
            List<Double> both = new ArrayList<>(narrow);
            both.addAll(wide);
            double bound = Math.sqrt(2) - 1;
            assertQuantiles("after the scale change", "rescaled_bucket", t2, both, bound);

            clock.advanceMs(30_000);
            third.forEach(h::record);
            flush(p);
            assertEquals(coarse, boundaries("rescaled_bucket", t3));
            assertQuantiles("rate after the scale change", "rate(rescaled_bucket[45s])", t3, third, bound);
        }
    }

    private static long countBelow(List<Double> values, double le) {
        return values.stream().filter(v -> v <= le).count();
    }

    @Test
    void negativeValuesAndTheZeroBucketOverOtlpHttp() throws Exception {
        // Scale 0: magnitudes (1,2] 10 and (2,4] 20 negative, 40 zeros, (2,4] 30 positive. The SDK records
        // no negative values into histograms, so this one is sent as OTLP protobuf.
        long ts = System.currentTimeMillis() - 5_000;
        ExponentialHistogramDataPoint point = ExponentialHistogramDataPoint.newBuilder()
                .setTimeUnixNano(TimeUnit.MILLISECONDS.toNanos(ts)).setScale(0).setCount(100).setSum(0)
                .setZeroCount(40)
                .setNegative(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(0).addAllBucketCounts(List.of(10L, 20L)))
                .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(1).addBucketCounts(30))
                .build();
        ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(
                ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(
                        Metric.newBuilder().setName("signed").setExponentialHistogram(ExponentialHistogram.newBuilder()
                                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                                .addDataPoints(point))))).build();
        HttpResponse<String> r = server.http.send(HttpRequest.newBuilder(URI.create(server.httpBase() + "/v1/metrics"))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(new TreeSet<>(Arrays.asList(-4.0, -2.0, -1.0, 0.0, 2.0, 4.0, Double.POSITIVE_INFINITY)),
                boundaries("signed_bucket", ts));
        assertEquals(30, query("signed_bucket{le=\"-1\"}", ts));
        assertEquals(70, query("signed_bucket{le=\"0\"}", ts));
        // rank 10 of 100: in (-4, -2], interpolated; rank 50: in the zero bucket, between -1 and 0;
        // rank 90: in (2, 4].
        assertEquals(-3, query("histogram_quantile(0.1, signed_bucket)", ts), 1e-9);
        assertEquals(-0.5, query("histogram_quantile(0.5, signed_bucket)", ts), 1e-9);
        assertEquals(2 + 2 * 20 / 30.0, query("histogram_quantile(0.9, signed_bucket)", ts), 1e-9);
    }
}
