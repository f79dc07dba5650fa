package dev.kedaotel.query.standing;

import dev.kedaotel.model.TimeSource;
import dev.kedaotel.query.EngineConfig;
import dev.kedaotel.query.QueryEngine;
import dev.kedaotel.tsdb.AppendResult;
import dev.kedaotel.tsdb.Appender;
import dev.kedaotel.tsdb.StoreConfig;
import dev.kedaotel.tsdb.SymbolTable;
import dev.kedaotel.tsdb.TimeSeriesStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.fail;

/** A sample that arrives out of order inside a standing query's window changes its answer, pushed and pulled. */
class OutOfOrderStandingQueryTest {
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private TimeSeriesStore store;
    private StandingQueries queries;
    private Appender appender;

    @BeforeEach
    void setUp() {
        store = new TimeSeriesStore(StoreConfig.builder().retentionMs(120_000).outOfOrderWindowMs(60_000)
                .time(TimeSource.wallClock(clock::get)).build());
        QueryEngine engine = new QueryEngine(store, EngineConfig.builder().lookbackDeltaMs(30_000).build());
        queries = StandingQueries.start(store, engine, new StandingQueriesConfig(50, null));
        appender = store.newAppender();
    }

    @AfterEach
    void tearDown() {
        queries.close();
        store.close();
    }

    private void put(long ts, double value) {
        SymbolTable symbols = store.symbols();
        appender.labels().clear();
        appender.labels().add(symbols.intern("__name__"), symbols.intern("requests"));
        assertEquals(AppendResult.APPENDED, appender.append(ts, value));
        appender.commit();
    }

    @Test
    void aLateSampleInTheWindowChangesTheAnswer() throws Exception {
        long now = clock.get();
        try (StandingQueryHandle handle = queries.acquire("sum(count_over_time(requests[1m]))")) {
            List<Answer> told = new CopyOnWriteArrayList<>();
            handle.subscribe(told::add);
            put(now - 20_000, 1);
            put(now, 3);
            Answer before = handle.current();
            assertEquals(2, before.value());
            await(told, 2);

            put(now - 10_000, 2); // out of order, inside the query's window
            Answer after = handle.current();
            assertNotSame(before, after);
            assertEquals(3, after.value());
            await(told, 3);
        }
        try (StandingQueryHandle handle = queries.acquire("sum(max_over_time(requests[1m]))")) {
            assertEquals(3, handle.current().value());
            put(now - 5_000, 7); // a late peak
            assertEquals(7, handle.current().value());
        }
    }

    /** Waits (bounded by a generous count of evaluator rounds, not asserting any duration) for a pushed answer. */
    private static void await(List<Answer> told, double value) throws InterruptedException {
        for (int i = 0; i < 5_000; i++) {
            if (!told.isEmpty() && told.get(told.size() - 1).value() == value) {
                return;
            }
            Thread.sleep(2);
        }
        fail("no pushed answer " + value + " in " + told);
    }
}
