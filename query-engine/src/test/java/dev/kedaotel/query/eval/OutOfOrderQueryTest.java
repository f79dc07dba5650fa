package dev.kedaotel.query.eval;

import dev.kedaotel.model.TimeSource;
import dev.kedaotel.query.EngineConfig;
import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.QueryEngine;
import dev.kedaotel.query.QueryOptions;
import dev.kedaotel.query.QueryResult;
import dev.kedaotel.query.ScalarOutcome;
import dev.kedaotel.tsdb.AppendResult;
import dev.kedaotel.tsdb.Appender;
import dev.kedaotel.tsdb.StoreConfig;
import dev.kedaotel.tsdb.SymbolTable;
import dev.kedaotel.tsdb.TimeSeriesStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Queries over a range where in-order and out-of-order samples interleave answer exactly as if every
 * sample had arrived in order: the store merges them by timestamp before functions see them.
 */
class OutOfOrderQueryTest {
    private static final long BASE = 1_700_000_000_000L;
    private static final long NOW = BASE + 120_000;

    private final TimeSeriesStore interleaved = store();
    private final TimeSeriesStore ordered = store();

    private static TimeSeriesStore store() {
        return new TimeSeriesStore(StoreConfig.builder().retentionMs(600_000).outOfOrderWindowMs(60_000)
                .time(TimeSource.wallClock(() -> NOW)).build());
    }

    @AfterEach
    void close() {
        interleaved.close();
        ordered.close();
    }

    /** A counter every 5 s over 2 minutes (value 10 per step, a reset at 60 s). */
    private static double counter(int i) {
        return i < 12 ? 10.0 * i : 10.0 * (i - 12) + 3;
    }

    private static int append(TimeSeriesStore store, Appender app, long ts, double v) {
        SymbolTable symbols = store.symbols();
        app.labels().clear();
        app.labels().add(symbols.intern("__name__"), symbols.intern("c"));
        app.labels().add(symbols.intern("pod"), symbols.intern("p"));
        int r = app.append(ts, v);
        app.commit();
        return r;
    }

    private void load() {
        Appender inOrder = ordered.newAppender();
        for (int i = 0; i < 24; i++) {
            assertEquals(AppendResult.APPENDED, append(ordered, inOrder, BASE + i * 5_000L, counter(i)));
        }
        // Same samples, the odd ones each arriving two steps late (after the next even one), as two
        // collector replicas flushing alternately would deliver them.
        Appender app = interleaved.newAppender();
        for (int i = 0; i < 24; i += 2) {
            assertEquals(AppendResult.APPENDED, append(interleaved, app, BASE + i * 5_000L, counter(i)));
            if (i >= 2) {
                assertEquals(AppendResult.APPENDED, append(interleaved, app, BASE + (i - 1) * 5_000L, counter(i - 1)));
            }
        }
        assertEquals(AppendResult.APPENDED, append(interleaved, app, BASE + 23 * 5_000L, counter(23)));
        assertEquals(11, interleaved.outOfOrderAppended(), "odd samples 1..21 arrived late");
    }

    private static double scalar(TimeSeriesStore store, String q, long at) throws PromQLException {
        QueryEngine engine = new QueryEngine(store, EngineConfig.defaults());
        ScalarOutcome o = engine.evaluateToScalar(engine.parse(q), at);
        assertTrue(o.found(), q + " found nothing");
        return o.value();
    }

    @Test
    void rateIncreaseAndLastOverTimeSeeMergedSamples() throws PromQLException {
        load();
        long at = BASE + 115_000;
        String[] queries = {
            "sum(rate(c[1m]))", "sum(increase(c[1m]))", "sum(increase(c[2m]))", "sum(last_over_time(c[1m]))",
            "sum(resets(c[2m]))", "sum(count_over_time(c[2m]))", "sum(max_over_time(c[30s] offset 50s))",
            "sum(c offset 9s)", "sum(delta(c[25s] offset 60s))",
        };
        for (String q : queries) {
            assertEquals(scalar(ordered, q, at), scalar(interleaved, q, at), 1e-9, q);
        }
        // And in absolute terms: 24 samples, one reset, the newest value.
        assertEquals(24, scalar(interleaved, "sum(count_over_time(c[2m]))", at));
        assertEquals(1, scalar(interleaved, "sum(resets(c[2m]))", at));
        assertEquals(counter(23), scalar(interleaved, "sum(last_over_time(c[1m]))", at));
        // At 56 s the newest sample is 55 s, an out-of-order one (i = 11).
        assertEquals(counter(11), scalar(interleaved, "sum(c)", BASE + 56_000));
    }

    @Test
    void rangeQueryStepsMatchInOrderDelivery() throws PromQLException {
        load();
        for (String q : new String[] {"sum(rate(c[20s]))", "sum(c)", "sum(idelta(c[12s]))"}) {
            QueryResult a = new QueryEngine(ordered, EngineConfig.defaults()).range(
                    new QueryEngine(ordered, EngineConfig.defaults()).parse(q), BASE + 10_000, BASE + 115_000, 1_000,
                    QueryOptions.DEFAULT);
            QueryResult b = new QueryEngine(interleaved, EngineConfig.defaults()).range(
                    new QueryEngine(interleaved, EngineConfig.defaults()).parse(q), BASE + 10_000, BASE + 115_000, 1_000,
                    QueryOptions.DEFAULT);
            assertEquals(1, a.series().size(), q);
            assertEquals(a.series().size(), b.series().size(), q);
            assertArrayEquals(a.series().get(0).timestamps(), b.series().get(0).timestamps(), q);
            assertArrayEquals(a.series().get(0).values(), b.series().get(0).values(), 1e-9, q);
        }
    }
}
