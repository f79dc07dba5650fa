package dev.kedaotel.query.eval;

import dev.kedaotel.query.EngineConfig;
import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.QueryEngine;
import dev.kedaotel.query.QueryResult;
import dev.kedaotel.query.StoreFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Behaviours where Prometheus 2.42's answer depends on order or on when it validates, each found by the
 * conformance suite: topk/bottomk tie-breaking follows Go's heap fed in label order (not ingestion
 * order), sort puts NaN last, holt_winters checks its factors only on series with samples.
 */
class PrometheusOrderingTest {
    private final StoreFixture fx = new StoreFixture();
    private final QueryEngine engine = new QueryEngine(fx.store, EngineConfig.defaults());

    @AfterEach
    void close() {
        fx.close();
    }

    private static long at(double s) {
        return StoreFixture.at(s);
    }

    private QueryResult query(String q, double atSeconds) throws PromQLException {
        return engine.instant(engine.parse(q), at(atSeconds));
    }

    private static List<String> labels(QueryResult r) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
            out.add(r.labels(i).toString());
        }
        return out;
    }

    @Test
    void topkBreaksTiesAsPrometheusHeapDoesInLabelOrder() throws PromQLException {
        // Ingested in reverse so that label order, not ingestion order, must decide.
        for (int i = 5; i >= 1; i--) {
            fx.add(StoreFixture.l("__name__", "m", "i", Integer.toString(i)), at(10), i == 5 ? 9 : 4);
        }
        // Go's heap: i=1 and i=2 (both 4) fill it with i=1 at the root; the other 4s are not strictly
        // better; 9 pops the root (i=1) and enters. So i=2 survives, not i=1.
        QueryResult top2 = query("topk(2, m)", 20);
        assertEquals(9.0, top2.value(0), "best first");
        assertEquals(List.of("m{i=\"5\"}", "m{i=\"2\"}"), labels(top2));
        QueryResult bottom3 = query("bottomk(3, m)", 20);
        assertEquals(List.of(4.0, 4.0, 4.0), List.of(bottom3.value(0), bottom3.value(1), bottom3.value(2)));
        assertTrue(labels(bottom3).containsAll(List.of("m{i=\"1\"}", "m{i=\"2\"}", "m{i=\"3\"}")), labels(bottom3).toString());
    }

    @Test
    void topkDisplacesNaNAndEmitsBestFirst() throws PromQLException {
        fx.add(StoreFixture.l("__name__", "m", "i", "1"), at(10), Double.NaN);
        fx.add(StoreFixture.l("__name__", "m", "i", "2"), at(10), 1);
        fx.add(StoreFixture.l("__name__", "m", "i", "3"), at(10), 3);
        assertEquals(List.of("m{i=\"3\"}", "m{i=\"2\"}"), labels(query("topk(2, m)", 20)));
        assertEquals(List.of("m{i=\"2\"}", "m{i=\"3\"}"), labels(query("bottomk(2, m)", 20)));
        QueryResult all = query("topk(5, m)", 20);
        assertTrue(Double.isNaN(all.value(2)), "NaN last");
    }

    @Test
    void sortAndSortDescPutNaNLast() throws PromQLException {
        fx.add(StoreFixture.l("__name__", "m", "i", "1"), at(10), 2);
        fx.add(StoreFixture.l("__name__", "m", "i", "2"), at(10), Double.NaN);
        fx.add(StoreFixture.l("__name__", "m", "i", "3"), at(10), -1);
        QueryResult asc = query("sort(m)", 20);
        assertEquals(-1.0, asc.value(0));
        assertEquals(2.0, asc.value(1));
        assertTrue(Double.isNaN(asc.value(2)));
        QueryResult desc = query("sort_desc(m)", 20);
        assertEquals(2.0, desc.value(0));
        assertEquals(-1.0, desc.value(1));
        assertTrue(Double.isNaN(desc.value(2)));
    }

    @Test
    void holtWintersValidatesFactorsOnlyWhenASeriesHasSamples() throws PromQLException {
        fx.series(StoreFixture.l("__name__", "g"), 0, 10, 1, 2, 3);
        assertEquals(0, query("holt_winters(g[1m], 1, 0.5)", 500).size(), "no samples in the window: empty, no error");
        PromQLException e = assertThrows(PromQLException.class, () -> query("holt_winters(g[1m], 1, 0.5)", 25));
        assertEquals("invalid smoothing factor. Expected: 0 < sf < 1, got: 1.000000", e.getMessage());
        PromQLException tf = assertThrows(PromQLException.class, () -> query("holt_winters(g[1m], 0.5, 0)", 25));
        assertEquals("invalid trend factor. Expected: 0 < tf < 1, got: 0.000000", tf.getMessage());
    }
}
