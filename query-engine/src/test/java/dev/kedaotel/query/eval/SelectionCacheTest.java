package dev.kedaotel.query.eval;

import dev.kedaotel.model.TimeSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kedaotel.query.EngineConfig;
import dev.kedaotel.query.QueryEngine;
import dev.kedaotel.query.ScalarOutcome;
import dev.kedaotel.query.ast.Expr;
import dev.kedaotel.query.ast.VectorSelector;
import dev.kedaotel.tsdb.Appender;
import dev.kedaotel.tsdb.LabelSetBuilder;
import dev.kedaotel.tsdb.StoreConfig;
import dev.kedaotel.tsdb.SymbolTable;
import dev.kedaotel.tsdb.TimeSeriesStore;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A reused selection never hides a series created, or keeps one removed, since it was taken. */
class SelectionCacheTest {
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private TimeSeriesStore store;
    private Appender appender;
    private QueryEngine engine;

    @BeforeEach
    void setUp() {
        store = new TimeSeriesStore(StoreConfig.builder().retentionMs(120_000).time(TimeSource.wallClock(clock::get)).build());
        appender = store.newAppender();
        engine = new QueryEngine(store, EngineConfig.defaults());
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void reusesTheSelectionWhileTheSeriesSetIsUnchangedAndSeesNewValues() throws Exception {
        Expr expr = engine.parse("sum(requests)");
        VectorSelector selector = onlySelector("requests");
        SelectionCache cache = new SelectionCache();
        append("a", 1);
        assertEquals(1, scalar(expr, cache));

        // Same AST, no series change: the first evaluation's selection is served again.
        assertEquals(1, scalar(expr, cache));
        Selection first = cache.get(astSelector(expr), store.seriesEpoch());
        assertNotNull(first, "a selection taken at the current epoch is kept");
        clock.addAndGet(1000);
        append("a", 5); // a new sample of an existing series does not change the series set
        assertEquals(5, scalar(expr, cache));
        assertSame(first, cache.get(astSelector(expr), store.seriesEpoch()));
        assertNull(cache.get(selector, store.seriesEpoch()), "entries are per AST node, never shared across parses");
    }

    @Test
    void aSeriesCreatedAfterTheSelectionIsSeenByTheNextEvaluation() throws Exception {
        Expr expr = engine.parse("sum(requests)");
        SelectionCache cache = new SelectionCache();
        append("a", 1);
        assertEquals(1, scalar(expr, cache));
        long before = store.seriesEpoch();
        append("b", 2);
        assertTrue(store.seriesEpoch() > before);
        assertNull(cache.get(astSelector(expr), store.seriesEpoch()), "a creation invalidates the entry");
        assertEquals(3, scalar(expr, cache));
    }

    @Test
    void aSeriesRemovedByRetentionIsGoneFromTheNextEvaluation() throws Exception {
        Expr expr = engine.parse("count(requests)");
        SelectionCache cache = new SelectionCache();
        append("a", 1);
        clock.addAndGet(100_000);
        append("b", 2);
        assertEquals(2, scalar(expr, cache));
        clock.addAndGet(60_000); // a's only sample is now older than the 120 s retention, b's is not
        assertEquals(1, store.expire());
        assertEquals(1, scalar(expr, cache));
    }

    @Test
    void aStaleEntryIsNotReplacedByAnOlderOne() {
        SelectionCache cache = new SelectionCache();
        VectorSelector selector = onlySelector("requests");
        Selection newer = new Selection(7, new int[0], new dev.kedaotel.model.Labels[0]);
        cache.put(selector, newer);
        cache.put(selector, new Selection(6, new int[0], new dev.kedaotel.model.Labels[0]));
        assertSame(newer, cache.get(selector, 7));
        assertNull(cache.get(selector, 6), "an entry answers only for its own epoch");
    }

    private double scalar(Expr expr, SelectionCache cache) throws Exception {
        ScalarOutcome o = engine.evaluateToScalar(expr, clock.get(), cache);
        assertTrue(o.found(), "found");
        return o.value();
    }

    private VectorSelector onlySelector(String name) {
        try {
            return (VectorSelector) engine.parse(name + "{}");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static VectorSelector astSelector(Expr aggregation) {
        if (aggregation instanceof VectorSelector) {
            return (VectorSelector) aggregation;
        }
        for (Expr child : aggregation.children()) {
            VectorSelector s = astSelector(child);
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    private void append(String pod, double value) {
        SymbolTable symbols = store.symbols();
        LabelSetBuilder b = appender.labels();
        b.clear();
        b.add(symbols.intern("__name__"), symbols.intern("requests"));
        b.add(symbols.intern("pod"), symbols.intern(pod));
        appender.append(clock.get(), value);
        appender.commit();
    }
}
