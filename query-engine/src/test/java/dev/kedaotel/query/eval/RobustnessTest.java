package dev.kedaotel.query.eval;

import dev.kedaotel.model.ManualTimeSource;
import dev.kedaotel.query.EngineConfig;
import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.QueryEngine;
import dev.kedaotel.query.QueryOptions;
import dev.kedaotel.query.QueryResult;
import dev.kedaotel.query.StoreFixture;
import dev.kedaotel.query.ast.Expr;
import dev.kedaotel.query.ast.Exprs;
import dev.kedaotel.query.ast.Prettier;
import dev.kedaotel.query.parser.Parser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static dev.kedaotel.query.StoreFixture.at;
import static dev.kedaotel.query.StoreFixture.l;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Cannot be knocked over": regexes run in linear time with Go's semantics, the query deadline covers
 * series selection, and no expression overflows the stack (deep ones are a BAD_DATA error).
 */
class RobustnessTest {
    private final StoreFixture fx = new StoreFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    // ---- regexes --------------------------------------------------------------------------------------

    @Test
    void catastrophicBacktrackingMatcherOverLongValues() throws PromQLException {
        // java.util.regex takes ~4^(n/2) steps for (.*a){15}b on n a's; RE2/J is linear, so 10,000 finish.
        String as = "a".repeat(10_000);
        fx.series(l("__name__", "m", "l", as), 0, 15, 1);
        fx.series(l("__name__", "m", "l", as + "b"), 0, 15, 2);
        QueryEngine engine = new QueryEngine(fx.store, EngineConfig.defaults());
        QueryResult r = engine.instant(engine.parse("m{l=~\"(.*a){15}b\"}"), at(10));
        assertEquals(1, r.size());
        assertEquals(2, r.value(0));
        QueryResult n = engine.instant(engine.parse("m{l!~\"(.*a){15}b\"}"), at(10));
        assertEquals(1, n.size());
        assertEquals(1, n.value(0));
    }

    @Test
    void labelReplaceIsLinearAndExpandsLikeGo() throws PromQLException {
        fx.series(l("__name__", "m", "l", "a".repeat(10_000) + "b-17"), 0, 15, 1);
        QueryEngine engine = new QueryEngine(fx.store, EngineConfig.defaults());
        // Go: "$1x" names the group "1x" (none: empty), "${1}x" is group 1 then "x", "$$" is "$".
        QueryResult r = engine.instant(engine.parse(
                "label_replace(m, \"d\", \"$1x|${1}x|${name}|$$|$3\", \"l\", \"(?:.*a){15}(?P<name>b)-(\\\\d+)\")"), at(10));
        assertEquals("|bx|b|$|", r.labels(0).get("d"));
        PromQLException bad = assertThrows(PromQLException.class,
                () -> engine.instant(engine.parse("label_replace(m, \"d\", \"x\", \"l\", \"a*+\")"), at(10)));
        assertEquals(PromQLException.Kind.EXECUTION, bad.kind());
        assertEquals("invalid regular expression in label_replace(): a*+", bad.getMessage());
    }

    @Test
    void regexSyntaxErrorsAreGos() {
        assertParseError("x{l=~\"a*+\"}", "1:3: parse error: error parsing regexp: invalid nested repetition operator: `*+`");
        assertParseError("x{l=~\"(?=a)\"}", "1:3: parse error: error parsing regexp: invalid or unsupported Perl syntax: `(?=`");
        assertParseError("x{l=~\"(?<n>a)\"}", "1:3: parse error: error parsing regexp: invalid or unsupported Perl syntax: `(?<`");
        assertParseError("x{l=~\"(a{100}){100}\"}", "1:3: parse error: error parsing regexp: invalid repeat count: `{100}`");
    }

    // ---- the deadline covers selection ------------------------------------------------------------------

    @Test
    void regexSelectionOverManyValuesTimesOut() throws PromQLException {
        for (int i = 0; i < 2_000; i++) {
            fx.series(l("__name__", "m", "pod", "pod-" + i), 0, 15, i);
        }
        // Every read of the monotonic clock moves it 1 s: the deadline (10 s) passes after a few checks,
        // which only the selection makes, since nothing matches and nothing else is evaluated.
        ManualTimeSource time = new ManualTimeSource(StoreFixture.BASE).autoAdvanceNanos(1_000_000_000L);
        QueryEngine engine = new QueryEngine(fx.store, EngineConfig.builder().time(time).timeoutMs(10_000).build());
        Expr e = engine.parse("m{pod=~\"(.*a){15}b\"}");
        PromQLException t = assertThrows(PromQLException.class, () -> engine.instant(e, at(10)));
        assertEquals(PromQLException.Kind.TIMEOUT, t.kind());
        assertEquals("query timed out in query execution", t.getMessage());
        // The same selection within its deadline answers (nothing matches).
        QueryOptions generous = QueryOptions.builder().timeoutMs(1_000_000_000L).build();
        assertEquals(0, engine.instant(e, at(10), generous).size());
    }

    // ---- depth --------------------------------------------------------------------------------------------

    @Test
    void tenThousandTermChainsAreBadDataNotStackOverflow() {
        String tooDeep = "1:1: parse error: expression nests deeper than " + Parser.MAX_DEPTH + " levels";
        for (String q : List.of(chain("1", " + ", 10_000), chain("m", " or ", 10_000), chain("m", " + ", 10_000),
                "-(".repeat(10_000) + "m" + ")".repeat(10_000), "(".repeat(10_000) + "m" + ")".repeat(10_000),
                "abs(".repeat(10_000) + "m" + ")".repeat(10_000), "sum(".repeat(10_000) + "m" + ")".repeat(10_000),
                "2 ^ ".repeat(10_000) + "2", "-".repeat(10_000) + "1")) {
            PromQLException e = assertThrows(PromQLException.class, () -> Parser.parse(q), q.substring(0, 20));
            assertEquals(PromQLException.Kind.BAD_DATA, e.kind());
            assertTrue(e.getMessage().endsWith("parse error: expression nests deeper than " + Parser.MAX_DEPTH + " levels"),
                    e.getMessage());
            if (q.startsWith("1 +")) {
                assertEquals(tooDeep, e.getMessage());
            }
        }
    }

    /**
     * Expressions just within {@link Parser#MAX_DEPTH} parse, print, pretty-print, name their metrics and
     * evaluate (instant and range) on a 512 KiB stack, half the default thread stack of a 64-bit Linux
     * JVM, with a regex matcher (RE2/J recurses too) at the bottom of the recursion. This test runs
     * early in its JVM's life, partly interpreted, as the first queries of a server do.
     */
    @Test
    void deepestAllowedExpressionsRunOnASmallStack() throws Exception {
        fx.series(l("__name__", "m", "pod", "pod-1"), 0, 15, 1, 2, 3, 4);
        // Nested subqueries multiply their steps: evaluation reaches the bottom at once, then times out.
        QueryEngine engine = new QueryEngine(fx.store, EngineConfig.builder().timeoutMs(2_000).build());
        int d = Parser.MAX_DEPTH;
        String sel = "m{pod=~\"" + "(?:a*|".repeat(100) + "pod-1" + ")".repeat(100) + "\"}";
        List<String> queries = List.of(
                chain("1", " + ", d),
                chain(sel, " + ", d - 1),
                chain(sel, " or ", d - 1),
                chain(sel, " / on(pod) group_left ", d - 1),
                "-(".repeat(d / 2 - 1) + sel + ")".repeat(d / 2 - 1),
                "(".repeat(d - 1) + sel + ")".repeat(d - 1),
                "abs(".repeat(d - 1) + sel + ")".repeat(d - 1),
                "sum by (pod) (".repeat(d - 1) + sel + ")".repeat(d - 1),
                "label_replace(".repeat(d - 1) + sel + ", \"a\", \"$1\", \"pod\", \"(.*)\")".repeat(d - 1),
                "max_over_time((".repeat(d / 3 - 1) + sel + ")[1m:1m])".repeat(d / 3 - 1),
                "2 ^ ".repeat(d - 1) + "1",
                chain("m", " + ", d - 5) + " + " + "rate(m[1m])");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<String> current = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                for (String q : queries) {
                    current.set(q);
                    Expr e = Parser.parse(q);
                    assertEquals(e.toString(), Parser.parse(e.toString()).toString(), q.substring(0, 20));
                    Prettier.pretty(e);
                    Exprs.referencedMetricNames(e);
                    try {
                        engine.instant(e, at(45));
                        engine.range(e, at(0), at(45), 15_000, QueryOptions.DEFAULT);
                    } catch (PromQLException timeout) {
                        assertEquals(PromQLException.Kind.TIMEOUT, timeout.kind(), q.substring(0, 20));
                    }
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "small-stack", 512 * 1024);
        t.start();
        t.join();
        assertNull(failure.get(), () -> failure.get() + " in " + current.get().substring(0, 40) + " at "
                + java.util.Arrays.stream(failure.get().getStackTrace()).limit(12).map(String::valueOf)
                .collect(java.util.stream.Collectors.joining(" < ")));
    }

    private static String chain(String term, String op, int terms) {
        StringBuilder sb = new StringBuilder(term);
        for (int i = 1; i < terms; i++) {
            sb.append(op).append(term);
        }
        return sb.toString();
    }

    private static void assertParseError(String q, String message) {
        PromQLException e = assertThrows(PromQLException.class, () -> Parser.parse(q));
        assertEquals(PromQLException.Kind.BAD_DATA, e.kind());
        assertEquals(message, e.getMessage());
    }
}
