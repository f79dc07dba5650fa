package dev.kedaotel.query.kedify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.parser.Parser;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz target for the kedify {@code metricQuery} compiler: {@link KedifyQuery#compile} (with every
 * {@code operationOverTime} and with none) returns or throws {@link KedifyQueryException} with a message;
 * any other exception, a hang or running out of memory is a finding. The compiled query's
 * {@link KedifyQuery#promql()} text is valid PromQL that parses back to the same text, for every operation
 * except {@code rate} (its internal {@code kedify_rate} is not a PromQL function). The input is the query
 * text (UTF-8). Seeds: {@code src/test/resources/dev/kedaotel/query/kedify/KedifyQueryFuzzTestInputs/compile/};
 * see docs/fuzzing.md.
 */
class KedifyQueryFuzzTest {
    private static final long WINDOW_MS = 120_000;

    @FuzzTest
    void compile(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        KedifyQuery defaulted;
        try {
            defaulted = KedifyQuery.compile(text, null, WINDOW_MS);
        } catch (KedifyQueryException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "kedify query error without a message");
            return;
        }
        assertNotNull(defaulted);
        checkPromql(text, defaulted);
        for (OperationOverTime op : OperationOverTime.values()) {
            KedifyQuery q;
            try {
                q = KedifyQuery.compile(text, op, WINDOW_MS);
            } catch (KedifyQueryException e) {
                fail("query " + text + " compiles without an operation but not with " + op.wireName() + ": " + e.getMessage());
                return;
            }
            if (op != OperationOverTime.RATE) {
                checkPromql(text, q);
            }
        }
    }

    private static void checkPromql(String text, KedifyQuery q) {
        String promql = q.promql();
        try {
            assertEquals(promql, Parser.parse(promql).toString(), () -> "query " + text + " compiles to unstable PromQL");
        } catch (PromQLException e) {
            if (e.getMessage().contains("error parsing regexp")) {
                // Known gap, docs/fuzzing.md finding 4: the kedify compiler takes =~ / !~ values as Java regexes
                // without the PromQL parser's RE2 syntax check (e.g. the possessive "?+").
                return;
            }
            fail("query " + text + " compiles to " + promql + ", which is not valid PromQL: " + e.getMessage());
        }
    }
}
