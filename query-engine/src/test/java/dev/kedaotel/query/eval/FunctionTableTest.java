package dev.kedaotel.query.eval;

import dev.kedaotel.query.ValueType;
import dev.kedaotel.query.ast.Function;
import dev.kedaotel.query.eval.FunctionTable.Entry;
import dev.kedaotel.query.eval.FunctionTable.Labelling;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parser's function list and the evaluator's are one vocabulary (Prometheus' TestFunctionList). */
class FunctionTableTest {

    @Test
    void parserAndEvaluatorKnowTheSameFunctions() {
        Set<String> parser = new TreeSet<>(Function.all().keySet());
        Set<String> evaluator = new TreeSet<>();
        for (Entry e : FunctionTable.all().values()) {
            if (!e.function().internal()) {
                evaluator.add(e.function().name());
            }
        }
        assertEquals(parser, evaluator);
    }

    @Test
    void everyFunctionHasExactlyItsOwnRow() {
        assertEquals(Function.values().size(), FunctionTable.all().size());
        for (Function f : Function.values()) {
            Entry e = FunctionTable.of(f);
            assertNotNull(e, f.name());
            assertSame(f, e.function(), f.name());
            assertSame(e, FunctionTable.all().get(f.name()), f.name());
        }
    }

    @Test
    void internalFunctionsAreEvaluableButNotParseable() {
        assertTrue(Function.KEDIFY_RATE.internal());
        assertNull(Function.lookup("kedify_rate"));
        assertNotNull(FunctionTable.of(Function.KEDIFY_RATE));
        assertEquals(Labelling.DROP_NAME, FunctionTable.of(Function.KEDIFY_RATE).labelling());
    }

    @Test
    void implementationKindFollowsTheSignature() {
        for (Entry e : FunctionTable.all().values()) {
            Function f = e.function();
            boolean range = f.argTypes().contains(ValueType.MATRIX);
            assertEquals(range, e.impl() instanceof FunctionTable.RangeFn, f.name());
            assertEquals(range ? f.argTypes().indexOf(ValueType.MATRIX) : -1, e.rangeArg(), f.name());
            assertEquals(f.returnType() == ValueType.SCALAR, e.impl() instanceof FunctionTable.ScalarFn, f.name());
        }
    }

    @Test
    void metricNameHandlingIsPrometheus242s() {
        for (String keeps : new String[] {"last_over_time", "sort", "sort_desc"}) {
            assertEquals(Labelling.KEEP, row(keeps).labelling(), keeps);
        }
        for (String builds : new String[] {"label_replace", "label_join", "absent", "absent_over_time", "vector"}) {
            assertEquals(Labelling.NEW, row(builds).labelling(), builds);
        }
        for (String drops : new String[] {"rate", "ceil", "changes", "timestamp", "histogram_quantile", "hour", "round",
            "clamp", "predict_linear", "quantile_over_time"}) {
            assertEquals(Labelling.DROP_NAME, row(drops).labelling(), drops);
        }
        assertInstanceOf(FunctionTable.ScalarFn.class, row("time").impl());
    }

    @Test
    void onlyTimeDependentFunctionsAreAtModifierUnsafe() {
        Set<String> unsafe = new TreeSet<>();
        for (Entry e : FunctionTable.all().values()) {
            if (e.atModifierUnsafe()) {
                unsafe.add(e.function().name());
            }
        }
        assertEquals(new TreeSet<>(Set.of("days_in_month", "day_of_month", "day_of_week", "day_of_year", "hour", "minute",
                "month", "year", "predict_linear", "time", "timestamp")), unsafe);
        assertFalse(row("rate").atModifierUnsafe());
    }

    private static Entry row(String name) {
        return FunctionTable.of(Function.lookup(name));
    }
}
