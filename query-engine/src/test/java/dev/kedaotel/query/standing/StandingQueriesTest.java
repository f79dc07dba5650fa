package dev.kedaotel.query.standing;

import dev.kedaotel.model.TimeSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kedaotel.query.EngineConfig;
import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.QueryEngine;
import dev.kedaotel.tsdb.Appender;
import dev.kedaotel.tsdb.AppendResult;
import dev.kedaotel.tsdb.StoreConfig;
import dev.kedaotel.tsdb.SymbolTable;
import dev.kedaotel.tsdb.TimeSeriesStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StandingQueriesTest {
    private static final long TIMEOUT_MS = 10_000;

    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private TimeSeriesStore store;
    private QueryEngine engine;
    private StandingQueries queries;
    private Appender appender;

    @BeforeEach
    void setUp() {
        store = new TimeSeriesStore(StoreConfig.builder().retentionMs(120_000).time(TimeSource.wallClock(clock::get)).build());
        engine = new QueryEngine(store, EngineConfig.builder().lookbackDeltaMs(30_000).build());
        queries = StandingQueries.start(store, engine, new StandingQueriesConfig(50, null));
        appender = store.newAppender();
    }

    @AfterEach
    void tearDown() {
        queries.close();
        store.close();
    }

    /** Moves the clock one second and commits one sample per (metric, value) pair at that time. */
    private void put(String metric, double value, String... labels) {
        clock.addAndGet(1_000);
        append(metric, value, labels);
        appender.commit();
    }

    private void append(String metric, double value, String... labels) {
        SymbolTable symbols = store.symbols();
        appender.labels().clear();
        appender.labels().add(symbols.intern("__name__"), symbols.intern(metric));
        for (int i = 0; i < labels.length; i += 2) {
            appender.labels().add(symbols.intern(labels[i]), symbols.intern(labels[i + 1]));
        }
        assertEquals(AppendResult.APPENDED, appender.append(clock.get(), value));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(2);
        }
    }

    @Test
    void currentNotBeforeNeverReturnsAnOlderCachedAnswer() throws Exception {
        put("q", 1);
        try (StandingQueryHandle h = queries.acquire("sum(q)")) {
            Answer first = h.current();
            clock.addAndGet(10); // within the 50 ms ageing resolution, no new data: the cache stands
            assertSame(first, h.current());
            assertSame(first, h.current(first.evaluatedAtMs()), "evaluated exactly at the bound: still good");
            Answer fresh = h.current(first.evaluatedAtMs() + 1);
            assertEquals(first.evaluatedAtMs() + 10, fresh.evaluatedAtMs(), "re-evaluated now");
            assertEquals(1, fresh.value(), 0);
        }
    }

    @Test
    void equalQueriesShareOneCompiledQueryUntilTheLastHandleCloses() throws Exception {
        StandingQueryHandle first = queries.acquire("sum(x)");
        StandingQueryHandle second = queries.acquire("sum( x )");
        assertSame(first.query(), second.query());
        assertEquals(1, queries.size());
        StandingQueryHandle third = first.share();
        first.close();
        first.close(); // idempotent
        second.close();
        assertEquals(1, queries.size());
        third.close();
        assertEquals(0, queries.size());
        assertThrows(IllegalStateException.class, first::share);
    }

    @Test
    void aBadQueryIsAParseError() {
        PromQLException e = assertThrows(PromQLException.class, () -> queries.acquire("sum(x"));
        assertEquals(PromQLException.Kind.BAD_DATA, e.kind());
        assertEquals(0, queries.size());
    }

    @Test
    void currentSeesACommitImmediatelyAndCachesOtherwise() throws Exception {
        try (StandingQueryHandle handle = queries.acquire("sum(x)")) {
            assertFalse(handle.current().found());
            put("x", 3);
            Answer afterCommit = handle.current();
            assertEquals(3, afterCommit.value());
            assertSame(afterCommit, handle.current(), "clean and young: cached");

            put("unrelated", 1); // also ages the answer by a second: re-evaluated, but not dirtied
            assertEquals(afterCommit.dataVersion(), handle.current().dataVersion(),
                    "a change to another metric does not dirty it");

            put("x", 4);
            Answer next = handle.current();
            assertNotSame(afterCommit, next);
            assertEquals(4, next.value());
            assertTrue(next.supersedes(afterCommit));
        }
    }

    @Test
    void aQueryWithoutAPinnedNameIsDirtiedByAnyChange() throws Exception {
        try (StandingQueryHandle handle = queries.acquire("count({__name__=~\"a.*\"})")) {
            assertNull(handle.query().metricNames());
            put("alpha", 1);
            Answer before = handle.current();
            assertEquals(1, before.value());
            put("beta", 1);
            assertNotSame(before, handle.current());
        }
    }

    @Test
    void subscribersAreToldOnlyWhenTheAnswerChanges() throws Exception {
        try (StandingQueryHandle handle = queries.acquire("sum(x)")) {
            List<Answer> told = new CopyOnWriteArrayList<>();
            Subscription subscription = handle.subscribe(told::add);
            put("x", 1);
            await("the change to 1", () -> !told.isEmpty() && told.get(told.size() - 1).value() == 1);
            for (int i = 0; i < 10; i++) {
                put("x", 1);
            }
            put("x", 2);
            await("the change to 2", () -> told.get(told.size() - 1).value() == 2);
            for (int i = 1; i < told.size(); i++) {
                assertFalse(told.get(i).sameResultAs(told.get(i - 1)), "repeated answer in " + told);
            }
            subscription.close();
            assertEquals(0, handle.query().subscriberCount());
        }
    }

    @Test
    void answersAgeOutWithoutIngest() throws Exception {
        try (StandingQueryHandle handle = queries.acquire("sum(x)")) {
            List<Answer> told = new CopyOnWriteArrayList<>();
            handle.subscribe(told::add);
            put("x", 5);
            await("the value", () -> !told.isEmpty() && told.get(told.size() - 1).found());
            clock.addAndGet(60_000); // past the 30 s lookback, no commit
            await("the ageing tick to notice", () -> !told.get(told.size() - 1).found());
            assertFalse(handle.current().found());
        }
    }

    @Test
    void evaluationErrorsAreKeptAsTheAnswerAndSubscribersSurvive() throws Exception {
        try (StandingQueryHandle handle = queries.acquire("y * 1")) {
            List<Answer> told = new CopyOnWriteArrayList<>();
            handle.subscribe(a -> {
                throw new IllegalStateException("a broken subscriber");
            });
            handle.subscribe(told::add);
            clock.addAndGet(1_000);
            append("y", 1, "pod", "a");
            append("y", 2, "pod", "b");
            appender.commit();
            Answer failed = handle.current();
            assertTrue(failed.isError());
            assertEquals("EXECUTION", failed.errorKind());
            await("the error to be told", () -> !told.isEmpty() && told.get(told.size() - 1).isError());

            clock.addAndGet(40_000); // pod=b goes stale
            put("y", 7, "pod", "a");
            await("recovery", () -> told.get(told.size() - 1).found() && told.get(told.size() - 1).value() == 7);
        }
    }

    @Test
    void aReleasedQueryStopsBeingIndexed() throws Exception {
        StandingQueryHandle handle = queries.acquire("sum(x)");
        StandingQuery query = handle.query();
        handle.close();
        put("x", 9);
        // No longer dirtied by commits, so it must not trust its cache either.
        assertEquals(9, query.current().value());
        assertNull(queries.find("sum(x)"));
    }
}
