package dev.kedaotel.query;

import static dev.kedaotel.query.StoreFixture.at;
import static dev.kedaotel.query.StoreFixture.l;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kedaotel.model.TimeSource;
import dev.kedaotel.query.ast.Expr;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz target for PromQL evaluation: every query that parses is evaluated, as an instant query and as a
 * range query, against a small store (counters with a reset, gauges with NaN and ±Inf, classic histogram
 * buckets, a stale series, label values that need escaping); each returns a result or throws
 * {@link PromQLException} with a message. Any other exception, a hang or running out of memory is a
 * finding. The engine has a 2 s deadline and a 500k-sample limit, so a slow query must end as a
 * {@code TIMEOUT} or {@code EXECUTION} error. The input is the query text (UTF-8). Seeds:
 * {@code src/test/resources/dev/kedaotel/query/PromQLEvalFuzzTestInputs/evaluate/}; see docs/fuzzing.md.
 */
class PromQLEvalFuzzTest {
    private static final StoreFixture FX = new StoreFixture();
    private static final QueryEngine ENGINE = new QueryEngine(FX.store, EngineConfig.builder()
            .timeoutMs(2_000).maxSamples(500_000).parseCacheSize(1).time(TimeSource.system()).build());

    static {
        for (String instance : new String[] {"a:9090", "b:9090"}) {
            FX.series(l("__name__", "http_requests_total", "job", "api", "instance", instance, "code", "200"),
                    0, 15, 0, 10, 25, 40, 3, 20, 41, 60, 75, 90);
            FX.series(l("__name__", "vllm:num_requests_running", "namespace", "models", "pod", "llama-" + instance.charAt(0)),
                    0, 15, 1, 2, 3, Double.NaN, 5, 4, 3, Double.POSITIVE_INFINITY, 1, 0);
        }
        String[] les = {"0.1", "0.5", "1", "+Inf"};
        for (int i = 0; i < les.length; i++) {
            FX.series(l("__name__", "rpc_duration_seconds_bucket", "le", les[i], "job", "api"),
                    0, 15, 0, 1 + i, 2 + 2 * i, 3 + 3 * i, 4 + 4 * i, 5 + 5 * i);
        }
        FX.series(l("__name__", "temperature", "room", "k\"itchen\\\n\u00e9"), 0, 30, -1.5, 0, 2.25, -0.0, 1e308, -1e-300);
        FX.series(l("__name__", "gone", "job", "batch"), 0, 15, 1, 2);
        FX.stale(l("__name__", "gone", "job", "batch"), at(45));
    }

    @FuzzTest
    void evaluate(byte[] data) {
        String query = new String(data, StandardCharsets.UTF_8);
        Expr expr;
        try {
            expr = ENGINE.parse(query);
        } catch (PromQLException e) {
            return; // the parser's own target checks these
        }
        try {
            assertNotNull(ENGINE.instant(expr, at(120)));
        } catch (PromQLException e) {
            hasMessage(e);
        }
        try {
            assertNotNull(ENGINE.range(expr, at(0), at(150), 15_000, QueryOptions.DEFAULT));
        } catch (PromQLException e) {
            hasMessage(e);
        }
    }

    private static void hasMessage(PromQLException e) {
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), () -> e.kind() + " error without a message");
    }
}
