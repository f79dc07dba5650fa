package dev.kedaotel.query.kedify;

import dev.kedaotel.model.LabelMatcher;
import dev.kedaotel.model.OtlpTranslationStrategy;
import dev.kedaotel.query.EngineConfig;
import dev.kedaotel.query.QueryEngine;
import dev.kedaotel.query.ScalarOutcome;
import dev.kedaotel.query.StoreFixture;
import dev.kedaotel.query.ast.Exprs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static dev.kedaotel.query.StoreFixture.at;
import static dev.kedaotel.query.StoreFixture.l;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kedify names under each OTLP_TRANSLATION_STRATEGY: the stored form of the name is found, nothing else. */
class KedifyNamingStrategyTest {
    private static final long WINDOW = 120_000;

    private final StoreFixture fx = new StoreFixture();
    private final QueryEngine engine = new QueryEngine(fx.store, EngineConfig.defaults());

    @AfterEach
    void close() {
        fx.close();
    }

    private ScalarOutcome eval(String query, OtlpTranslationStrategy s) throws Exception {
        return engine.evaluateToScalar(KedifyQuery.compile(query, OperationOverTime.LAST_ONE, WINDOW, s).expr(), at(10));
    }

    @Test
    void theDefaultCompilesAsBefore() throws Exception {
        assertEquals(KedifyQuery.compile("sum(http.server.requests{a=b})", null, WINDOW).promql(),
                KedifyQuery.compile("sum(http.server.requests{a=b})", null, WINDOW, OtlpTranslationStrategy.KEDIFY_COMPATIBLE).promql());
        assertEquals("sum(last_over_time(http_server_requests{a=\"b\"}[2m]))",
                KedifyQuery.compile("sum(http.server.requests{a=b})", null, WINDOW).promql());
    }

    @Test
    void withSuffixesTheCounterIsFoundUnderItsTotalNameAndRelatedNamesAreNot() throws Exception {
        fx.add(l("__name__", "http_server_requests_total", "deployment", "web"), at(5), 3);
        fx.add(l("__name__", "http_server_requests_active", "deployment", "web"), at(5), 1000);
        fx.add(l("__name__", "http_server_requests_total", "deployment", "other"), at(5), 50);
        for (String q : new String[] {"sum(http.server.requests{deployment=web})", "http_server_requests{deployment=\"web\"}",
            "sum(http_server_requests_total{deployment=web})"}) {
            ScalarOutcome o = eval(q, OtlpTranslationStrategy.UNDERSCORE_ESCAPING_WITH_SUFFIXES);
            assertTrue(o.found(), q);
            assertEquals(3.0, o.value(), q);
        }
        assertFalse(eval("sum(http.server.requests{deployment=web})", OtlpTranslationStrategy.KEDIFY_COMPATIBLE).found());
    }

    @Test
    void unitSuffixesAndUtf8Names() throws Exception {
        fx.add(l("__name__", "memory_usage_bytes"), at(5), 1024);
        fx.add(l("__name__", "memory.usage_bytes", "k8s.pod.name", "p"), at(5), 7);
        assertEquals(1024.0, eval("memory.usage", OtlpTranslationStrategy.UNDERSCORE_ESCAPING_WITH_SUFFIXES).value());
        assertEquals(7.0, eval("sum(memory.usage{k8s.pod.name=p})", OtlpTranslationStrategy.NO_UTF8_ESCAPING_WITH_SUFFIXES).value());
        assertFalse(eval("memory.usage", OtlpTranslationStrategy.NO_TRANSLATION).found());
    }

    @Test
    void theCandidatesAreLiteralsSoStandingQueriesIndexThem() throws Exception {
        KedifyQuery q = KedifyQuery.compile("sum(http.server.requests)", null, WINDOW, OtlpTranslationStrategy.UNDERSCORE_ESCAPING_WITH_SUFFIXES);
        Set<String> names = Exprs.referencedMetricNames(q.expr());
        assertTrue(names != null && names.contains("http_server_requests_total") && names.contains("http_server_requests_seconds"),
                String.valueOf(names));
        assertEquals("http_server_requests", q.metricName());
        LabelMatcher m = LabelMatcher.of(LabelMatcher.Type.RE, "__name__", "a\\.b|c");
        assertEquals(Set.of("a.b", "c"), m.literalValues());
    }
}
